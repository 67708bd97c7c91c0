# Least privilege: each role gets exactly the actions its VM's processes call, on exactly the resources they touch.
# infra/terraform/test checks these lists; a change here must change the test's expected lists too.
data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

# Gateways: the ECR login and pulls, the database password, completing their own group's termination hook.
data "aws_iam_policy_document" "gateway" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # GetAuthorizationToken takes no resource.
  }

  statement {
    sid = "EcrPull"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [for repository in aws_ecr_repository.functions : repository.arn]
  }

  statement {
    sid       = "DatabasePassword"
    actions   = ["ssm:GetParameter"]
    resources = [aws_ssm_parameter.db_password.arn, aws_ssm_parameter.secrets_key.arn]
  }

  statement {
    sid       = "ScaleIn"
    actions   = ["autoscaling:CompleteLifecycleAction"]
    resources = [local.gateway_group_arn]
  }
}

# The builder: the ECR login, pushes (and the pull actions a push's layer checks use), deleting a deleted function's
# images (DELETE /functions/{name}), the database password.
data "aws_iam_policy_document" "builder" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "EcrPushPull"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchDeleteImage",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [for repository in aws_ecr_repository.functions : repository.arn]
  }

  statement {
    sid       = "DatabasePassword"
    actions   = ["ssm:GetParameter"]
    resources = [aws_ssm_parameter.db_password.arn, aws_ssm_parameter.secrets_key.arn]
  }
}

resource "aws_iam_role" "gateway" {
  name               = "${local.name}-gateway"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

resource "aws_iam_role_policy" "gateway" {
  name   = "epsilon-gateway"
  role   = aws_iam_role.gateway.id
  policy = data.aws_iam_policy_document.gateway.json
}

resource "aws_iam_instance_profile" "gateway" {
  name = "${local.name}-gateway"
  role = aws_iam_role.gateway.name
}

resource "aws_iam_role" "builder" {
  name               = "${local.name}-builder"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

resource "aws_iam_role_policy" "builder" {
  name   = "epsilon-builder"
  role   = aws_iam_role.builder.id
  policy = data.aws_iam_policy_document.builder.json
}

resource "aws_iam_instance_profile" "builder" {
  name = "${local.name}-builder"
  role = aws_iam_role.builder.name
}
