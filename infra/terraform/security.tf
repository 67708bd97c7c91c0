# Who talks to whom: the internet to the ALB (443, 80 only to be redirected); the ALB and the gateways themselves to the
# gateways' port (peers forward calls to a function's home); gateways and the builder to PostgreSQL. Outbound is open:
# set-up fetches packages and the repository, and ECR, SSM and Auto Scaling are public endpoints reached through NAT.
resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Epsilon ALB: HTTPS and HTTP (redirected) from anywhere"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from anywhere"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from anywhere, redirected to HTTPS"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "alb_to_gateways" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the gateways"
  referenced_security_group_id = aws_security_group.gateway.id
  ip_protocol                  = "tcp"
  from_port                    = var.gateway_port
  to_port                      = var.gateway_port
}

resource "aws_security_group" "gateway" {
  name        = "${local.name}-gateway"
  description = "Epsilon gateways: the gateway port from the ALB and from each other"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "gateway_from_alb" {
  security_group_id            = aws_security_group.gateway.id
  description                  = "Calls and health checks from the ALB"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = var.gateway_port
  to_port                      = var.gateway_port
}

resource "aws_vpc_security_group_ingress_rule" "gateway_from_peers" {
  security_group_id            = aws_security_group.gateway.id
  description                  = "Calls forwarded by peer gateways"
  referenced_security_group_id = aws_security_group.gateway.id
  ip_protocol                  = "tcp"
  from_port                    = var.gateway_port
  to_port                      = var.gateway_port
}

resource "aws_vpc_security_group_egress_rule" "gateway_out" {
  security_group_id = aws_security_group.gateway.id
  description       = "Peers, PostgreSQL, ECR, SSM, Auto Scaling, set-up's downloads"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_security_group" "builder" {
  name        = "${local.name}-builder"
  description = "Epsilon builder: its deploy API from builder_ingress_cidrs"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "builder_api" {
  for_each          = toset(var.builder_ingress_cidrs)
  security_group_id = aws_security_group.builder.id
  description       = "Deploy API"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = var.builder_port
  to_port           = var.builder_port
}

resource "aws_vpc_security_group_egress_rule" "builder_out" {
  security_group_id = aws_security_group.builder.id
  description       = "PostgreSQL, ECR, SSM, Git remotes, package registries"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_security_group" "db" {
  name        = "${local.name}-db"
  description = "Epsilon PostgreSQL: from gateways and the builder"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "db_from_gateways" {
  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from gateways"
  referenced_security_group_id = aws_security_group.gateway.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_vpc_security_group_ingress_rule" "db_from_builder" {
  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the builder"
  referenced_security_group_id = aws_security_group.builder.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}
