"""Cover when an occurrence loses a worker, and a person's approved reserve of workers."""
