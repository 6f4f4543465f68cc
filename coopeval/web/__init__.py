"""Pages served by the coopeval server itself, without a kernel (the light participant page)."""
