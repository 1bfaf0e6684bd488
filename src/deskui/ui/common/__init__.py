"""What every feature of the desk shares: formatting, state vocabulary, drafts, workers."""
