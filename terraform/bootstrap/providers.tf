provider "aws" {
  region = var.region

  default_tags {
    tags = merge(
      {
        Project   = var.name
        Component = "bootstrap"
        ManagedBy = "terraform"
      },
      var.tags,
    )
  }
}
