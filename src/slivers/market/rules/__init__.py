"""The market's rules as pure functions over plain data: no database, no clock reads, no I/O."""
