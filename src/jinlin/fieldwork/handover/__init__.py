"""转交: work changes hands — cases, concerns and a worker's patch handed to another worker."""
