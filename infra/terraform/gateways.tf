locals {
  # What infra/cloud-init/user-data.yaml.tpl needs; the same file installs a gateway or the builder (role).
  user_data_vars = {
    repository            = var.repository
    ref                   = var.repository_ref
    dotnet_channel        = var.dotnet_channel
    region                = var.region
    registry              = local.registry
    db_host               = aws_db_instance.store.address
    db_password_parameter = aws_ssm_parameter.db_password.name
    secrets_key_parameter = aws_ssm_parameter.secrets_key.name
    db_ca_url             = "https://truststore.pki.rds.amazonaws.com/${var.region}/${var.region}-bundle.pem"
    gateway_port          = var.gateway_port
    builder_port          = var.builder_port
    public_url            = local.public_url
    lifecycle_hook_name   = local.lifecycle_hook_name
    group_name            = local.gateway_group_name
    # The balancer and the other gateways: the only senders whose X-Forwarded-* a gateway believes.
    trusted_proxies = var.vpc_cidr
  }
}

resource "aws_launch_template" "gateway" {
  name_prefix            = "${local.name}-gateway-"
  image_id               = data.aws_ami.debian.id
  instance_type          = var.gateway_instance_type
  vpc_security_group_ids = [aws_security_group.gateway.id]
  update_default_version = true
  user_data              = base64encode(templatefile("${path.module}/../cloud-init/user-data.yaml.tpl", merge(local.user_data_vars, { role = "gateway" })))

  iam_instance_profile {
    arn = aws_iam_instance_profile.gateway.arn
  }

  # IMDSv2 only, and one hop: the gateway reads it (credentials, its address, the lifecycle state), function
  # containers one network hop further cannot, so they never get the instance role. Tags let the gateway find its group.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  block_device_mappings {
    device_name = data.aws_ami.debian.root_device_name

    ebs {
      volume_size           = var.root_volume_gb
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "${local.name}-gateway" }
  }
}

resource "aws_autoscaling_group" "gateways" {
  name                = local.gateway_group_name
  vpc_zone_identifier = aws_subnet.private[*].id
  min_size            = var.gateway_min_size
  max_size            = var.gateway_max_size
  desired_capacity    = var.gateway_desired_capacity
  target_group_arns   = [aws_lb_target_group.gateways.arn]
  health_check_type   = "ELB"
  # A new VM installs .NET, runs set-up (base images, the build) before it answers: minutes, not seconds.
  health_check_grace_period = 1200

  launch_template {
    id      = aws_launch_template.gateway.id
    version = aws_launch_template.gateway.latest_version
  }

  # Scale-in waits for the gateway: it sees Terminated through IMDSv2, drains (DrainDelay + DrainTimeout), then
  # completes this hook itself; the heartbeat timeout only matters if it never does.
  initial_lifecycle_hook {
    name                 = local.lifecycle_hook_name
    lifecycle_transition = "autoscaling:EC2_INSTANCE_TERMINATING"
    default_result       = "CONTINUE"
    heartbeat_timeout    = var.drain_seconds
  }

  # A new repository_ref (a new launch template version) replaces the gateways one batch at a time, launching each
  # replacement before terminating (and so draining, as above) the one it replaces: the order the rolling-upgrade
  # test proves has zero failed calls. Never below the group's capacity, at most twice it while replacing.
  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = 100
      max_healthy_percentage = 200
      instance_warmup        = 900
    }
  }

  tag {
    key                 = "epsilon.role"
    value               = "gateway"
    propagate_at_launch = true
  }

  # The instances read SSM and ECR as they boot: their role's policy must exist first.
  depends_on = [aws_iam_role_policy.gateway]
}

resource "aws_autoscaling_policy" "requests_per_gateway" {
  name                      = "${local.name}-requests-per-gateway"
  autoscaling_group_name    = aws_autoscaling_group.gateways.name
  policy_type               = "TargetTrackingScaling"
  estimated_instance_warmup = 900

  target_tracking_configuration {
    target_value = var.requests_per_gateway

    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${aws_lb.gateways.arn_suffix}/${aws_lb_target_group.gateways.arn_suffix}"
    }
  }
}
