resource "aws_lb" "gateways" {
  name                       = "${local.name}-alb"
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [aws_security_group.alb.id]
  subnets                    = aws_subnet.public[*].id
  drop_invalid_header_fields = true
  # Calls run up to the function's timeout; the ALB must not cut them first.
  idle_timeout = 300
}

# Round robin, as every cloud balancer: the gateways keep functions sticky themselves (README, "The balancer").
resource "aws_lb_target_group" "gateways" {
  name                 = "${local.name}-gateways"
  port                 = var.gateway_port
  protocol             = "HTTP"
  target_type          = "instance"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 30

  health_check {
    path                = "/_epsilon/health"
    port                = "traffic-port"
    protocol            = "HTTP"
    matcher             = "200"
    # A draining gateway fails its health check for DrainDelay (5 s) while it still serves: two failed checks 5 s apart.
    interval            = 5
    timeout             = 3
    healthy_threshold   = 2
    unhealthy_threshold = 2
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.gateways.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.gateways.arn
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.gateways.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
