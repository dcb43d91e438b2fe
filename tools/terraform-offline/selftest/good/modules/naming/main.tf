# A small child module: the self-test checks that references to its outputs
# resolve (and, in the broken cases, that a missing output is reported).
variable "name" {
  type = string
}

variable "account_id" {
  type = string
}

output "prefix" {
  value = "${var.name}-selftest"
}

output "bucket_name" {
  value = "${var.name}-logs-${var.account_id}"
}
