output "name" {
  value = "main"
}
