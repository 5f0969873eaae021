// The home page and the workshop page, kept up to date: the server sends the live part again
// whenever it changes (the stream named by the region's data-flux: /conseil/flux,
// /conseil/atelier/flux). On the home page, a new call for help plays a short tone and shows
// the count in the tab's title. Without JavaScript, the page's link and forms do the same work.
(function () {
  "use strict";
  var region = document.getElementById("direct");
  if (!region || !window.EventSource) {
    return;
  }
  var title = document.title;
  var AudioContext = window.AudioContext || window.webkitAudioContext;
  var audio = null;

  function helpIds() {
    var rows = region.querySelectorAll("[data-aide]");
    return Array.prototype.map.call(rows, function (row) {
      return row.getAttribute("data-aide");
    });
  }

  function showCount(count) {
    if (count === 0) {
      document.title = title;
    } else if (count === 1) {
      document.title = "1 demande d'aide – " + title;
    } else {
      document.title = count + " demandes d'aide – " + title;
    }
  }

  // Browsers let a page play sound only after a click or a key: get ready at the first one.
  function wakeAudio() {
    if (!AudioContext) {
      return;
    }
    if (!audio) {
      audio = new AudioContext();
    }
    if (audio.state === "suspended") {
      audio.resume();
    }
  }

  function ring() {
    wakeAudio();
    if (!audio) {
      return;
    }
    [[880, 0], [660, 0.25]].forEach(function (note) {
      var start = audio.currentTime + note[1];
      var tone = audio.createOscillator();
      var volume = audio.createGain();
      tone.frequency.value = note[0];
      volume.gain.setValueAtTime(0.0001, start);
      volume.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
      tone.connect(volume);
      volume.connect(audio.destination);
      tone.start(start);
      tone.stop(start + 0.22);
    });
  }

  var known = helpIds();
  showCount(known.length);
  document.addEventListener("click", wakeAudio);
  document.addEventListener("keydown", wakeAudio);

  var source = new EventSource(region.getAttribute("data-flux"));
  // Said on the page once the stream is open (tests and the curious wait for it).
  source.onopen = function () {
    document.documentElement.setAttribute("data-live", "open");
  };
  source.onmessage = function (event) {
    // Keep the keyboard focus on the same button when the part is replaced.
    var focused = document.activeElement && region.contains(document.activeElement)
      ? document.activeElement.id
      : "";
    region.innerHTML = event.data;
    if (focused && document.getElementById(focused)) {
      document.getElementById(focused).focus();
    }
    var ids = helpIds();
    var fresh = ids.filter(function (id) {
      return known.indexOf(id) === -1;
    });
    known = ids;
    showCount(ids.length);
    if (fresh.length > 0) {
      ring();
    }
  };
  // The session ended: reloading leads to the sign-in page, which says why.
  source.addEventListener("expired", function () {
    source.close();
    window.location.reload();
  });
  source.onerror = function () {
    if (source.readyState === EventSource.CLOSED) {
      window.location.reload();
    }
  };
})();
