"""The 1022 callbot: Twilio Media Streams on Pipecat, Vietnamese speech in and out (issue 12)."""
