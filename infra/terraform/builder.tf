# One builder, in a public subnet so its deploy API is reachable from builder_ingress_cidrs (every call but its health
# check needs an API token; keep the list to your own addresses all the same). It builds images with the runtimes' base images set-up made and
# pushes them to ECR; the gateways never talk to it.
resource "aws_eip" "builder" {
  domain   = "vpc"
  instance = aws_instance.builder.id

  tags = { Name = "${local.name}-builder" }
}

resource "aws_instance" "builder" {
  ami                         = data.aws_ami.debian.id
  instance_type               = var.builder_instance_type
  subnet_id                   = aws_subnet.public[0].id
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.builder.id]
  iam_instance_profile        = aws_iam_instance_profile.builder.name
  user_data                   = templatefile("${path.module}/../cloud-init/user-data.yaml.tpl", merge(local.user_data_vars, { role = "builder" }))
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_size = var.root_volume_gb
    volume_type = "gp3"
    encrypted   = true
  }

  tags = { Name = "${local.name}-builder", "epsilon.role" = "builder" }

  depends_on = [aws_iam_role_policy.builder]
}
