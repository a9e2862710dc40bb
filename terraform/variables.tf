# ---------------------------------------------------------------------------------------------
# Where to deploy
# ---------------------------------------------------------------------------------------------

variable "project_id" {
  type        = string
  description = "Project that hosts the functions, topics, scheduler jobs and the source bucket."

  validation {
    condition     = can(regex("^([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project ID such as my-project (optionally domain-scoped: example.com:my-project)."
  }
}

variable "region" {
  type        = string
  description = "Region of the functions, the Eventarc trigger and the Cloud Scheduler jobs."
  default     = "us-central1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "region must be a Cloud region such as us-central1 or europe-west1."
  }
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name (functions, service accounts, topics). 3 to 22 characters so that service account IDs stay within 30."
  default     = "fusion-cancel"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-22 characters of lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "target_project_ids" {
  type        = list(string)
  description = "Projects whose Data Fusion operations the functions may cancel. The custom role is created and granted to both runtime service accounts in each. Empty means [project_id]."
  default     = []

  validation {
    condition     = alltrue([for p in var.target_project_ids : can(regex("^([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$", p))])
    error_message = "Every target_project_ids entry must be a project ID."
  }
}

variable "custom_role_id" {
  type        = string
  description = "Start of the ID of the custom role (datafusion.operations.cancel/get/list, datafusion.locations.list) created in every target project. The module appends _YYYYMMDDhhmmss (when it first created the role), because custom roles are soft-deleted: a destroyed role's ID stays taken for up to 37 days, and README's gcloud path creates fusionCancelOperator itself."
  default     = "fusionCancelOperator"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.]{3,49}$", var.custom_role_id))
    error_message = "custom_role_id must be 3-49 characters of letters, digits, underscores and dots (the 15-character suffix makes at most 64)."
  }
}

variable "enable_apis" {
  type        = bool
  description = "Enable the APIs the deployment needs in project_id (never disabled on destroy). false: enable them yourself first, Cloud Resource Manager and Service Usage included (README lists them)."
  default     = true
}

variable "api_propagation_seconds" {
  type        = number
  description = "Pause after enabling APIs before anything is created in the project: enabling is eventually consistent, and on fresh projects Eventarc, Pub/Sub and IAM fail for a while (service agents not yet there). Only the first apply (or one that enables a new API) waits."
  default     = 90

  validation {
    condition     = var.api_propagation_seconds >= 0 && var.api_propagation_seconds <= 600
    error_message = "api_propagation_seconds must be between 0 and 600."
  }
}

variable "labels" {
  type        = map(string)
  description = "Labels added to the functions, topics, subscriptions and bucket."
  default     = {}
}

# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------

variable "source_dir" {
  type        = string
  description = "Repository root to archive (pom.xml and src/main are what the build needs). null means the directory above this module."
  default     = null
}

variable "runtime" {
  type        = string
  description = "Cloud Functions Java runtime. The bytecode targets Java 17, so java17, java21 and java25 all work."
  default     = "java21"

  validation {
    condition     = can(regex("^java(17|21|25)$", var.runtime))
    error_message = "runtime must be java17, java21 or java25."
  }
}

variable "build_service_account_email" {
  type        = string
  description = "Service account Cloud Build uses to build the functions. null creates a dedicated one with the roles the build needs (logging.logWriter, artifactregistry.writer, storage.objectAdmin), because new projects' default build account may lack them."
  default     = null

  validation {
    condition     = var.build_service_account_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.iam\\.gserviceaccount\\.com$", var.build_service_account_email))
    error_message = "build_service_account_email must be a service account email (…@….iam.gserviceaccount.com) or null."
  }
}

# ---------------------------------------------------------------------------------------------
# Runtime settings shared by both functions
# ---------------------------------------------------------------------------------------------

variable "memory" {
  type        = string
  description = "Memory of each function instance. 512Mi fits the JVM and the client comfortably; below 512Mi the JVM starts slowly and risks OOM."
  default     = "512Mi"

  validation {
    condition     = can(regex("^[0-9]+(Mi|Gi)$", var.memory))
    error_message = "memory must look like 512Mi or 1Gi."
  }
}

variable "available_cpu" {
  type        = string
  description = "vCPUs per instance (e.g. \"1\" or \"0.583\"). null lets Cloud Functions derive it from memory."
  default     = null

  validation {
    condition     = var.available_cpu == null || can(regex("^[0-9]+(\\.[0-9]+)?$", var.available_cpu))
    error_message = "available_cpu must be a number such as 1 or 0.583, or null."
  }
}

variable "java_tool_options" {
  type        = string
  description = "JAVA_TOOL_OPTIONS of both functions. The default (measured by bench/run, see docs/benchmarks.md) favours start-up time: C1 only, serial GC."
  default     = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
}

variable "datafusion_endpoint" {
  type        = string
  description = "DATAFUSION_ENDPOINT: Data Fusion API base URL."
  default     = "https://datafusion.googleapis.com"

  validation {
    condition     = can(regex("^https://[^/?#\\s]+/?$", var.datafusion_endpoint))
    error_message = "datafusion_endpoint must be an https:// base URL without a path (plain http is for local emulators only)."
  }
}

variable "datafusion_api_version" {
  type        = string
  description = "DATAFUSION_API_VERSION: v1 or v1beta1."
  default     = "v1"

  validation {
    condition     = contains(["v1", "v1beta1"], var.datafusion_api_version)
    error_message = "datafusion_api_version must be v1 or v1beta1."
  }
}

variable "allowed_parents" {
  type        = list(string)
  description = "ALLOWED_PARENTS: projects/P/locations/L entries (* may stand for a whole segment) outside which nothing is cancelled. null means every location of target_project_ids; [] means any parent."
  default     = null

  validation {
    condition     = alltrue([for p in(var.allowed_parents == null ? [] : var.allowed_parents) : can(regex("^projects/[^/,\\s]+/locations/[^/,\\s]+$", p))])
    error_message = "Every allowed_parents entry must look like projects/P/locations/L (either segment may be *)."
  }
}

variable "datafusion_quota_per_minute" {
  type        = number
  description = "Data Fusion's control-plane quota: requests per minute per user (here: per runtime service account, each function has its own) per region. 600 unless your project was granted more."
  default     = 600

  validation {
    condition     = var.datafusion_quota_per_minute >= 1 && floor(var.datafusion_quota_per_minute) == var.datafusion_quota_per_minute
    error_message = "datafusion_quota_per_minute must be a whole number of at least 1."
  }
}

variable "requests_per_minute" {
  type        = number
  description = "Data Fusion requests per minute per location for each function as a whole, all its instances together (at most datafusion_quota_per_minute). Every instance of a function runs as the same service account and so shares one quota: each instance gets REQUESTS_PER_MINUTE = floor(requests_per_minute / max instances), e.g. 540 / 3 = 180 for the HTTP function's 3 instances, 540 for the single bulk instance."
  default     = 540

  validation {
    condition     = var.requests_per_minute >= 1 && floor(var.requests_per_minute) == var.requests_per_minute
    error_message = "requests_per_minute must be a whole number of at least 1."
  }
}

variable "min_requests_per_minute_per_instance" {
  type        = number
  description = "The smallest per-instance budget the deployment accepts: a max instance count that would split requests_per_minute below it is refused at plan time (precondition) instead of deploying instances too slow to finish their work."
  default     = 60

  validation {
    condition     = var.min_requests_per_minute_per_instance >= 1
    error_message = "min_requests_per_minute_per_instance must be at least 1."
  }
}

variable "max_wait" {
  type        = string
  description = "MAX_WAIT: the longest a caller may ask to wait after a cancel (30s, 5m, PT1M). Keep it below the function timeouts."
  default     = "60s"

  validation {
    condition     = can(regex("^([0-9]+[smhd]|P(T(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(\\.[0-9]+)?S)?|[0-9]+D))$", var.max_wait))
    error_message = "max_wait must be a duration such as 60s, 5m or PT1M."
  }
}

# ---------------------------------------------------------------------------------------------
# HTTP function
# ---------------------------------------------------------------------------------------------

variable "http_invoker_members" {
  type        = list(string)
  description = "Principals allowed to call the HTTP function (roles/run.invoker on its service), e.g. group:ops@example.com or serviceAccount:ci@p.iam.gserviceaccount.com. Public access is refused."
  default     = []

  validation {
    condition     = length(setintersection(var.http_invoker_members, ["allUsers", "allAuthenticatedUsers"])) == 0
    error_message = "The HTTP function cancels operations: it is never public (allUsers and allAuthenticatedUsers are refused)."
  }

  validation {
    condition     = alltrue([for m in var.http_invoker_members : can(regex("^(user|serviceAccount|group|domain|principal|principalSet):.+$", m))])
    error_message = "Every http_invoker_members entry must be an IAM member such as user:a@example.com or group:ops@example.com."
  }
}

variable "http_ingress_settings" {
  type        = string
  description = "Network ingress of the HTTP function. ALLOW_ALL (default) lets authenticated callers reach it from anywhere while IAM still refuses everyone outside http_invoker_members; ALLOW_INTERNAL_ONLY narrows it to the VPC and same-project Google services."
  default     = "ALLOW_ALL"

  validation {
    condition     = contains(["ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"], var.http_ingress_settings)
    error_message = "http_ingress_settings must be ALLOW_ALL, ALLOW_INTERNAL_ONLY or ALLOW_INTERNAL_AND_GCLB."
  }
}

variable "http_timeout_seconds" {
  type        = number
  description = "Request timeout of the HTTP function in seconds. A request's worst case is 2 x 60 s (the client's total retry budget for the cancel and for the last GET) plus the caller's wait (at most max_wait), so keep it above 120 s + max_wait."
  default     = 200

  validation {
    condition     = var.http_timeout_seconds >= 1 && var.http_timeout_seconds <= 3600
    error_message = "http_timeout_seconds must be between 1 and 3600."
  }
}

variable "http_max_instances" {
  type        = number
  description = "Maximum instances of the HTTP function. They share its service account's Data Fusion quota, so each gets floor(requests_per_minute / http_max_instances) (refused below min_requests_per_minute_per_instance)."
  default     = 3

  validation {
    condition     = var.http_max_instances >= 1 && floor(var.http_max_instances) == var.http_max_instances
    error_message = "http_max_instances must be a whole number of at least 1."
  }
}

variable "http_outcome_events" {
  type        = bool
  description = "Also publish the HTTP function's outcomes to the outcome topic (sets its OUTCOME_TOPIC and grants it publisher on that topic only). false leaves OUTCOME_TOPIC empty: log only."
  default     = false
}

# ---------------------------------------------------------------------------------------------
# Bulk function, topics and schedules
# ---------------------------------------------------------------------------------------------

variable "bulk_timeout_seconds" {
  type        = number
  description = "Timeout of the bulk function in seconds (event-triggered functions allow at most 540). Work left at the deadline continues in a follow-up message."
  default     = 540

  validation {
    condition     = var.bulk_timeout_seconds >= 60 && var.bulk_timeout_seconds <= 540
    error_message = "bulk_timeout_seconds must be between 60 and 540."
  }
}

variable "bulk_max_instances" {
  type        = number
  description = "Maximum instances of the bulk function. They share its service account's Data Fusion quota, so each gets floor(requests_per_minute / bulk_max_instances). 1 (default) gives one run the whole budget; a request that finds the instance busy is retried by Pub/Sub, which dead_letter_max_delivery_attempts covers (see terraform/README.md, \"Retries and dead letters\")."
  default     = 1

  validation {
    condition     = var.bulk_max_instances >= 1 && floor(var.bulk_max_instances) == var.bulk_max_instances
    error_message = "bulk_max_instances must be a whole number of at least 1."
  }
}

variable "request_publisher_members" {
  type        = list(string)
  description = "Principals allowed to publish bulk requests (roles/pubsub.publisher on the request topic only). Public access is refused."
  default     = []

  validation {
    condition     = length(setintersection(var.request_publisher_members, ["allUsers", "allAuthenticatedUsers"])) == 0
    error_message = "Bulk requests cancel operations: allUsers and allAuthenticatedUsers are refused."
  }

  validation {
    condition     = alltrue([for m in var.request_publisher_members : can(regex("^(user|serviceAccount|group|domain|principal|principalSet):.+$", m))])
    error_message = "Every request_publisher_members entry must be an IAM member such as serviceAccount:ci@p.iam.gserviceaccount.com."
  }
}

variable "create_outcome_subscription" {
  type        = bool
  description = "Create a pull subscription on the outcome topic so outcome events are kept (7 days) even before anyone consumes them; Pub/Sub drops messages published to a topic without subscriptions."
  default     = true
}

variable "dead_letter_max_delivery_attempts" {
  type        = number
  description = "Deliveries of a bulk request before it is moved to the dead-letter topic. Every delivery that meets a busy instance (Eventarc's 429 \"no available instance\") counts, and Pub/Sub waits 10 s doubling to 600 s between them, so N attempts last about 630 s + 600 s x (N - 7): 100 (default) is about 15.5 hours, 12 (the least accepted) about 1 hour, twice the longest wait of a valid request behind a busy instance (see terraform/README.md, \"Retries and dead letters\")."
  default     = 100

  validation {
    condition     = var.dead_letter_max_delivery_attempts >= 12 && var.dead_letter_max_delivery_attempts <= 100 && floor(var.dead_letter_max_delivery_attempts) == var.dead_letter_max_delivery_attempts
    error_message = "dead_letter_max_delivery_attempts must be a whole number from 12 (about an hour of retries, so a valid request is never dead-lettered for a busy instance) to 100 (Pub/Sub's limit)."
  }
}

variable "attach_dead_letter_with_gcloud" {
  type        = bool
  description = "Attach the dead-letter topic to the subscription Eventarc created for the bulk trigger by running gcloud during apply (gcloud must be installed where terraform runs; it uses Terraform's own access token), again whenever the trigger changes. false: run the dead_letter_setup_commands output yourself after every apply that changes the trigger (the bulk_trigger output)."
  default     = true
}

variable "outcome_schema" {
  type        = bool
  description = "Attach the Pub/Sub schema schemas/outcome-event.proto (JSON encoding) to the outcome topic, so every event published there matches it; required by audit_bigquery."
  default     = true
}

variable "audit_bigquery" {
  type        = bool
  description = "Also write every outcome and summary event to a BigQuery table (a BigQuery subscription on the outcome topic using the topic's schema), so past cancels are one SQL query away (README shows it)."
  default     = false
}

variable "audit_dataset_id" {
  type        = string
  description = "BigQuery dataset of the audit table (created when audit_bigquery is true)."
  default     = "fusion_cancel_audit"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,1024}$", var.audit_dataset_id))
    error_message = "audit_dataset_id must be letters, digits and underscores."
  }
}

variable "audit_location" {
  type        = string
  description = "Location of the audit dataset (a region such as us-central1, or US / EU). null means var.region."
  default     = null
}

variable "schedules" {
  type = map(object({
    schedule  = string
    time_zone = optional(string, "Etc/UTC")
    request   = string
  }))
  description = "Cloud Scheduler jobs that publish a bulk request to the request topic. Key: job name suffix; schedule: cron; request: the bulk request as a JSON string (e.g. jsonencode({parents = [...], olderThan = \"6h\"})). A string, not an object, so that a misspelt field reaches the function and is refused instead of being dropped by Terraform's type conversion."
  default     = {}

  validation {
    condition     = alltrue([for k, s in var.schedules : can(regex("^[a-zA-Z0-9_-]{1,40}$", k))])
    error_message = "schedules keys must be 1-40 letters, digits, hyphens or underscores."
  }

  validation {
    condition = alltrue([for s in var.schedules : try(
      length(setsubtract(keys(jsondecode(s.request)), ["operations", "parents", "olderThan", "verbs", "targets", "limit", "dryRun", "wait"])) == 0
      && (contains(keys(jsondecode(s.request)), "operations") || contains(keys(jsondecode(s.request)), "parents")),
    false)])
    error_message = "Every schedules request must be a JSON object with operations and/or parents and only the bulk request fields (operations, parents, olderThan, verbs, targets, limit, dryRun, wait)."
  }
}
