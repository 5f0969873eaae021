"""Voice channel: speech out (speech, speaker), speech in (recognition), spoken French read
as answers (understanding), and the dialogue that renders the journeys by voice."""
