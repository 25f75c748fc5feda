"""Personal data: scrubbing, pseudonyms, erasure and retention."""
