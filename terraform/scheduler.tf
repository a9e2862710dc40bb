# Recurring bulk requests, e.g. "cancel everything running for more than 6 hours, every hour".
# Cloud Scheduler publishes as its service agent, which may publish to topics in this project.
resource "google_cloud_scheduler_job" "bulk" {
  for_each = var.schedules

  project     = var.project_id
  region      = var.region
  name        = "${var.name_prefix}-${each.key}"
  description = "fusion-cancel bulk request ${each.key}"
  schedule    = each.value.schedule
  time_zone   = each.value.time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.requests.id
    # Re-encoded so that the message is compact JSON whatever the formatting of the input.
    data = base64encode(jsonencode(jsondecode(each.value.request)))
    attributes = {
      origin = "cloud-scheduler"
      job    = each.key
    }
  }

  depends_on = [time_sleep.apis]
}
