output "gateway_url" {
  description = "Where functions are called: <gateway_url>/<function>/ (point domain_name at alb_dns_name first)."
  value       = local.public_url
}

output "alb_dns_name" {
  value = aws_lb.gateways.dns_name
}

output "builder_url" {
  description = "The deploy API (POST /deployments), reachable from builder_ingress_cidrs."
  value       = "http://${aws_eip.builder.public_ip}:${var.builder_port}"
}

output "builder_private_ip" {
  value = aws_instance.builder.private_ip
}

output "ecr_registry" {
  description = "Epsilon:Registry:Address: the ECR registry function images are pushed to."
  value       = local.registry
}

output "ecr_repositories" {
  value = { for name, repository in aws_ecr_repository.functions : name => repository.repository_url }
}

output "db_endpoint" {
  description = "The store's PostgreSQL endpoint (host:port); TLS required."
  value       = aws_db_instance.store.endpoint
}

output "db_password_parameter" {
  description = "The SSM parameter (SecureString) holding the database password."
  value       = aws_ssm_parameter.db_password.name
}

output "gateway_group_name" {
  value = aws_autoscaling_group.gateways.name
}
