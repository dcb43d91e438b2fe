module "child" {
  source = "./modules/child"
}

resource "aws_ecs_cluster" "main" {
  name = module.child.cluster_name
}
