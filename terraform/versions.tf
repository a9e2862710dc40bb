terraform {
  # 1.5: optional() object attributes with defaults, import blocks, check blocks.
  required_version = ">= 1.5"

  required_providers {
    google = {
      source = "hashicorp/google"
      # 5.26 added build_config.service_account on google_cloudfunctions2_function.
      version = ">= 5.26, < 7.0"
    }
    time = {
      source = "hashicorp/time"
      # 0.9: time_sleep triggers and time_static, both used for first-apply ordering.
      version = ">= 0.9, < 1.0"
    }
    archive = {
      source = "hashicorp/archive"
      # 2.4 matches excludes as doublestar globs.
      version = ">= 2.4, < 3.0"
    }
  }
}
