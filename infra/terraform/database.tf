# The fleet's store: PostgreSQL 15 in the private subnets, TLS required. Its password is generated here, kept in SSM
# Parameter Store as a SecureString (SSM's AWS managed key), and read by each VM at service start (infra/systemd/epsilon-env).
resource "random_password" "db" {
  length  = 40
  special = true
  # RDS refuses / @ " and space; ; would end an Npgsql keyword and $ be expanded by systemd's environment files.
  override_special = "-_.~+"
}

resource "aws_ssm_parameter" "db_password" {
  name        = "/${local.name}/db/password"
  description = "Password of the Epsilon store's database user"
  type        = "SecureString"
  value       = random_password.db.result
}

# The AES-256 key functions' secrets are encrypted with: one for the builder and every gateway, generated here and
# kept beside the database password; epsilon-env writes it to /run/epsilon/secrets.key (tmpfs, 0600) at each start.
resource "random_id" "secrets_key" {
  byte_length = 32
}

resource "aws_ssm_parameter" "secrets_key" {
  name        = "/${local.name}/secrets/key"
  description = "AES-256 key of the functions' secrets (base64)"
  type        = "SecureString"
  value       = random_id.secrets_key.b64_std
}

resource "aws_db_subnet_group" "main" {
  name       = local.name
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_db_parameter_group" "postgres" {
  name   = "${local.name}-postgres15"
  family = "postgres15"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_db_instance" "store" {
  identifier                 = "${local.name}-store"
  engine                     = "postgres"
  engine_version             = "15"
  auto_minor_version_upgrade = true
  instance_class             = var.db_instance_class
  allocated_storage          = var.db_allocated_storage_gb
  storage_type               = "gp3"
  storage_encrypted          = true
  multi_az                   = var.db_multi_az
  db_name                    = "epsilon"
  username                   = "epsilon"
  password                   = random_password.db.result
  db_subnet_group_name       = aws_db_subnet_group.main.name
  parameter_group_name       = aws_db_parameter_group.postgres.name
  vpc_security_group_ids     = [aws_security_group.db.id]
  publicly_accessible        = false
  backup_retention_period    = 7
  deletion_protection        = true
  skip_final_snapshot        = false
  final_snapshot_identifier  = "${local.name}-store-final"
}
