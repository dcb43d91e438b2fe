resource "aws_s3_bucket_versioning" "state" {
  bucket = "state"

  versioning_configuration {
    status = "Enabled"
  }

  versioning_configuration {
    status = "Suspended"
  }
}
