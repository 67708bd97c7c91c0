# One repository per function: the builder pushes <registry>/<function>:v<N> at the registry's root (ImageReference),
# and ECR does not create repositories on push, so each function's name is listed in var.functions and its repository
# made here before its first deploy. That also lets the IAM policies name exactly these repositories.
resource "aws_ecr_repository" "functions" {
  for_each             = toset(var.functions)
  name                 = each.value
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

# Keeps the newest images_kept versions of each function: the live one, and the older ones aliases and rollbacks reach.
resource "aws_ecr_lifecycle_policy" "functions" {
  for_each   = aws_ecr_repository.functions
  repository = each.value.name

  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the newest ${var.images_kept} versions"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = var.images_kept
      }
      action = { type = "expire" }
    }]
  })
}
