variable "name" {
  description = "Prefix of every resource's name."
  type        = string
  default     = "epsilon"
}

variable "region" {
  description = "AWS region, e.g. eu-west-1."
  type        = string
}

variable "vpc_cidr" {
  description = "The VPC's address range; split into two public and two private subnets."
  type        = string
  default     = "10.40.0.0/16"
}

variable "certificate_arn" {
  description = "ACM certificate for the ALB's HTTPS listener (for domain_name)."
  type        = string
}

variable "domain_name" {
  description = "The name the certificate is for and that points at the ALB (CNAME or alias); function URLs use it. Empty: the ALB's own DNS name."
  type        = string
  default     = ""
}

variable "repository" {
  description = "Git URL of Epsilon itself; every VM clones it at repository_ref and runs its scripts/setup.sh."
  type        = string
}

variable "repository_ref" {
  description = "Branch, tag or commit of Epsilon the VMs build and run. A change rolls the gateways (instance refresh)."
  type        = string
  default     = "main"
}

variable "dotnet_channel" {
  description = "The .NET SDK channel installed on the VMs (dotnet-install.sh --channel)."
  type        = string
  default     = "10.0"
}

variable "architecture" {
  description = "amd64 or arm64 (the Debian AMI and the instance types must agree)."
  type        = string
  default     = "amd64"
}

variable "gateway_instance_type" {
  type    = string
  default = "m6i.large"
}

variable "builder_instance_type" {
  type    = string
  default = "m6i.large"
}

variable "gateway_port" {
  description = "The port gateways listen on: the ALB's target port and the port peers forward to."
  type        = number
  default     = 8080
}

variable "builder_port" {
  type    = number
  default = 8090
}

variable "builder_ingress_cidrs" {
  description = "Who may reach the builder's deploy API (it has no authentication of its own): e.g. your office or VPN. Empty: nobody from outside the VPC."
  type        = list(string)
  default     = []
}

variable "gateway_min_size" {
  type    = number
  default = 2
}

variable "gateway_max_size" {
  type    = number
  default = 6
}

variable "gateway_desired_capacity" {
  type    = number
  default = 2
}

variable "requests_per_gateway" {
  description = "Target of the group's target-tracking policy: ALB requests per gateway per minute."
  type        = number
  default     = 6000
}

variable "root_volume_gb" {
  description = "Each VM's disk: the .NET SDK, the build, Docker's images and the functions' images."
  type        = number
  default     = 40
}

variable "drain_seconds" {
  description = "How long a terminating gateway may take to drain: DrainDelay + DrainTimeout (5 s + 30 s by default) plus room to remove its containers. The termination hook's heartbeat timeout."
  type        = number
  default     = 120

  validation {
    condition     = var.drain_seconds > 35
    error_message = "drain_seconds must exceed the gateway's DrainDelay + DrainTimeout (35 s by default)."
  }
}

variable "functions" {
  description = "Function names that get an ECR repository (the builder pushes <registry>/<function>:v<N>; ECR does not create repositories on push). Add a name and apply before its first deploy."
  type        = list(string)
  default     = ["hello"]

  validation {
    condition     = length(var.functions) > 0 && alltrue([for f in var.functions : can(regex("^[a-z][a-z0-9-]{0,62}$", f))])
    error_message = "functions must name at least one function, each [a-z][a-z0-9-]{0,62}."
  }
}

variable "images_kept" {
  description = "Images an ECR repository keeps (newest first): the versions aliases and rollbacks can reach."
  type        = number
  default     = 30
}

variable "db_instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "db_allocated_storage_gb" {
  type    = number
  default = 20
}

variable "db_multi_az" {
  type    = bool
  default = true
}
