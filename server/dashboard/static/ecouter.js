// "Aider une personne": reads the consent aloud, keeps its last sentence in step with the
// chosen duration, and prints the appointment sheet. No inline script (CSP): this file only.
// Without JavaScript or speech, the buttons stay hidden and the forms still work.
(function () {
  "use strict";

  // The "show the text again" button is for browsers without this script.
  document.querySelectorAll(".sans-script").forEach(function (element) {
    element.remove();
  });

  var listen = document.querySelector("[data-ecouter]");
  if (listen && "speechSynthesis" in window && "SpeechSynthesisUtterance" in window) {
    listen.hidden = false;
    listen.addEventListener("click", function () {
      var source = document.getElementById(listen.getAttribute("data-ecouter"));
      var speech = window.speechSynthesis;
      speech.cancel(); // a second click starts again from the beginning
      var utterance = new SpeechSynthesisUtterance(source.innerText);
      utterance.lang = "fr-FR";
      utterance.rate = 0.9;
      var french = speech.getVoices().filter(function (voice) {
        return (voice.lang || "").toLowerCase().indexOf("fr") === 0;
      });
      if (french.length) {
        utterance.voice = french[0];
      }
      speech.speak(utterance);
    });
  }

  var duration = document.getElementById("accord-duree");
  document.querySelectorAll("input[data-phrase]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (radio.checked && duration) {
        duration.textContent = radio.getAttribute("data-phrase");
      }
    });
  });

  document.querySelectorAll("[data-imprimer]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
