resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-0123456789abcdef0"
  service_name = "com.amazonaws.eu-west-1.s3"
}

output "first_route_table" {
  value = aws_vpc_endpoint.s3.route_table_ids[0]
}
