"""Other APIs over the same documents: thin adapters with their own envelopes and errors."""
