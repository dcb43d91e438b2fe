provider "aws" {
  region = var.region

  # Every resource carries these tags (and ECS propagates them to the tasks).
  default_tags {
    tags = merge(
      {
        Project     = var.name
        Environment = var.environment
        ManagedBy   = "terraform"
      },
      var.tags,
    )
  }
}
