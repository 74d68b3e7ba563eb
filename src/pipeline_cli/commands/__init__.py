"""One module per group of commands: parse options, call the store, hand results to output."""
