# The smallest useful deployment: both functions in one project, cancelling operations in that
# same project, callable over HTTP by the given members.
#
#   cp terraform.tfvars.example terraform.tfvars   # then edit
#   terraform init && terraform apply
#
# Prerequisites (see the module's README.md, "First apply on a fresh project"): the Service Usage and
# Cloud Resource Manager APIs on, and gcloud installed here (apply attaches the dead-letter
# topic with it; attach_dead_letter_with_gcloud = false in the module skips that).

terraform {
  required_version = ">= 1.5"
}

provider "google" {
  project = var.project_id
  region  = var.region
}

variable "project_id" {
  type        = string
  description = "Project to deploy into; also the project whose Data Fusion operations may be cancelled."
}

variable "region" {
  type        = string
  description = "Region of the functions."
  default     = "us-central1"
}

variable "http_invoker_members" {
  type        = list(string)
  description = "Who may call the HTTP function, e.g. [\"group:data-ops@example.com\"]."
  default     = []
}

variable "schedules" {
  type = map(object({
    schedule  = string
    time_zone = optional(string, "Etc/UTC")
    request   = string
  }))
  description = "Optional Cloud Scheduler jobs publishing bulk requests (see the module's variable)."
  default     = {}
}

variable "audit_bigquery" {
  type        = bool
  description = "Also keep every outcome in a BigQuery table (see the module's variable)."
  default     = false
}

module "fusion_cancel" {
  source = "../.."

  project_id           = var.project_id
  region               = var.region
  http_invoker_members = var.http_invoker_members
  schedules            = var.schedules
  audit_bigquery       = var.audit_bigquery
}

output "http_function_uri" {
  description = "URL of the HTTP function."
  value       = module.fusion_cancel.http_function_uri
}

output "request_topic" {
  description = "Publish bulk requests here."
  value       = module.fusion_cancel.request_topic
}

output "outcome_topic" {
  description = "Outcome events arrive here."
  value       = module.fusion_cancel.outcome_topic
}

output "audit_table" {
  description = "BigQuery table of every outcome (null unless audit_bigquery)."
  value       = module.fusion_cancel.audit_table
}

output "dead_letter_setup_commands" {
  description = "Only with attach_dead_letter_with_gcloud = false: run after every apply that changes the trigger."
  value       = module.fusion_cancel.dead_letter_setup_commands
}
