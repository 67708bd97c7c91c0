terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      "epsilon.managed" = "true"
      "epsilon.stack"   = var.name
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_availability_zones" "available" {
  state = "available"
}

# Debian 12, what scripts/setup.sh is written for (Debian's own AMIs, account 136693071363).
data "aws_ami" "debian" {
  most_recent = true
  owners      = ["136693071363"]

  filter {
    name   = "name"
    values = ["debian-12-${var.architecture}-*"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}

locals {
  name     = var.name
  azs      = slice(data.aws_availability_zones.available.names, 0, 2)
  account  = data.aws_caller_identity.current.account_id
  registry = "${local.account}.dkr.ecr.${var.region}.amazonaws.com"

  # Known before the group exists, so the launch template and the gateways' policy can name the group and its hook
  # without depending on it.
  gateway_group_name  = "${local.name}-gateways"
  lifecycle_hook_name = "${local.name}-drain"
  gateway_group_arn   = "arn:${data.aws_partition.current.partition}:autoscaling:${var.region}:${local.account}:autoScalingGroup:*:autoScalingGroupName/${local.gateway_group_name}"

  public_url = var.domain_name != "" ? "https://${var.domain_name}" : "https://${aws_lb.gateways.dns_name}"
}
