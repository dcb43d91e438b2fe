"""The provider process: tfplugin6 over gRPC, started by Terraform via go-plugin.

Terraform runs the provider executable with TF_PLUGIN_MAGIC_COOKIE set, reads
one handshake line from its stdout (``1|6|unix|SOCKET|grpc|CERT``) and talks
gRPC over TLS on that Unix socket. The protocol messages come from the ``tf``
package (PyPI ``tf``); the service below answers them from the schema file and
never opens a network connection.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from concurrent import futures
from pathlib import Path
from typing import Any, TypeVar

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from tf.gen import grpc_controller_pb2 as controller_pb
from tf.gen import grpc_controller_pb2_grpc as controller_rpc
from tf.gen import grpc_stdio_pb2_grpc as stdio_rpc
from tf.gen import tfplugin_pb2 as pb
from tf.gen import tfplugin_pb2_grpc as rpc

from . import PROVIDER_ADDRESS, PROVIDER_VERSION, cty, datasources, functions
from .planning import Planner, load_force_new
from .schema import SCHEMA_FILE, Block, ProviderSchema, conform_block, load

MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

APPLY_REFUSED = "The offline hashicorp/aws provider cannot change infrastructure"
APPLY_DETAIL = (
    f"This is a schema-only stand-in for hashicorp/aws {PROVIDER_VERSION} (scripts/terraform-offline): it "
    "validates and plans from the provider's schema but cannot create, change, import or destroy AWS "
    'resources. For apply-time checks use `terraform test` with mock_provider "aws"; to apply for real, '
    "run Terraform with the real provider."
)

NESTING = {
    "single": pb.Schema.NestedBlock.SINGLE,
    "group": pb.Schema.NestedBlock.GROUP,
    "list": pb.Schema.NestedBlock.LIST,
    "set": pb.Schema.NestedBlock.SET,
    "map": pb.Schema.NestedBlock.MAP,
}
OBJECT_NESTING = {
    "single": pb.Schema.Object.SINGLE,
    "list": pb.Schema.Object.LIST,
    "set": pb.Schema.Object.SET,
    "map": pb.Schema.Object.MAP,
}


# ---------------------------------------------------------------------------
# Schema -> protobuf
# ---------------------------------------------------------------------------


def _attribute_proto(name: str, spec: dict[str, Any]) -> pb.Schema.Attribute:
    msg = pb.Schema.Attribute(
        name=name,
        required=bool(spec.get("required")),
        optional=bool(spec.get("optional")),
        computed=bool(spec.get("computed")),
        sensitive=bool(spec.get("sensitive")),
        deprecated=bool(spec.get("deprecated")),
        description=spec.get("description", ""),
    )
    if "nested_type" in spec:
        nested = spec["nested_type"]
        msg.nested_type.CopyFrom(
            pb.Schema.Object(
                attributes=[_attribute_proto(k, v) for k, v in sorted(nested.get("attributes", {}).items())],
                nesting=OBJECT_NESTING[nested.get("nesting_mode", "single")],
            )
        )
    else:
        msg.type = json.dumps(spec["type"], separators=(",", ":")).encode()
    return msg


def block_proto(spec: dict[str, Any]) -> pb.Schema.Block:
    """A tfplugin6 block from its ``terraform providers schema -json`` form."""
    return pb.Schema.Block(
        attributes=[_attribute_proto(k, v) for k, v in sorted(spec.get("attributes", {}).items())],
        block_types=[
            pb.Schema.NestedBlock(
                type_name=name,
                block=block_proto(nb.get("block", {})),
                nesting=NESTING[nb["nesting_mode"]],
                min_items=int(nb.get("min_items", 0)),
                max_items=int(nb.get("max_items", 0)),
            )
            for name, nb in sorted(spec.get("block_types", {}).items())
        ],
        deprecated=bool(spec.get("deprecated")),
        description=spec.get("description", ""),
    )


def _schema_proto(spec: dict[str, Any]) -> pb.Schema:
    return pb.Schema(version=int(spec.get("version", 0)), block=block_proto(spec.get("block", {})))


def functions_proto() -> dict[str, pb.Function]:
    def param(name: str, typ: Any) -> pb.Function.Parameter:
        return pb.Function.Parameter(name=name, type=json.dumps(typ).encode())

    return {
        name: pb.Function(
            parameters=[param(p, t) for p, t in fn.parameters],
            summary=fn.summary,
            description_kind=pb.PLAIN,
            **{"return": pb.Function.Return(type=json.dumps(fn.returns).encode())},
        )
        for name, fn in functions.FUNCTIONS.items()
    }


def capabilities() -> pb.ServerCapabilities:
    return pb.ServerCapabilities(plan_destroy=True, get_provider_schema_optional=True)


def schema_response(schema: ProviderSchema) -> pb.GetProviderSchema.Response:
    provider = schema.raw["provider_schemas"][PROVIDER_ADDRESS]
    resp = pb.GetProviderSchema.Response(
        provider=_schema_proto(provider["provider"]),
        server_capabilities=capabilities(),
    )
    for name, fn in functions_proto().items():
        resp.functions[name].CopyFrom(fn)
    for name, spec in provider.get("resource_schemas", {}).items():
        resp.resource_schemas[name].CopyFrom(_schema_proto(spec))
    for name, spec in provider.get("data_source_schemas", {}).items():
        resp.data_source_schemas[name].CopyFrom(_schema_proto(spec))
    return resp


def cached_schema_response(schema: ProviderSchema, schema_path: Path, cache_dir: Path | None) -> bytes:
    """The serialized GetProviderSchema response, kept in cache_dir between runs.

    Building it takes about half a second and Terraform starts the provider
    several times per command; reading it back takes milliseconds.
    """
    digest = hashlib.sha256(schema_path.read_bytes() + Path(__file__).read_bytes()).hexdigest()[:20]
    cached = cache_dir / f"schema-{digest}.pb" if cache_dir else None
    if cached is not None and cached.exists():
        return cached.read_bytes()
    data: bytes = schema_response(schema).SerializeToString()
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(cached)
    return data


# ---------------------------------------------------------------------------
# Service
# ---------------------------------------------------------------------------


def _value(dv: pb.DynamicValue) -> Any:
    return cty.decode_dynamic(dv.msgpack, dv.json)


def _dynamic(value: Any) -> pb.DynamicValue:
    return pb.DynamicValue(msgpack=cty.encode(value))


def _error(summary: str, detail: str = "") -> pb.Diagnostic:
    return pb.Diagnostic(severity=pb.Diagnostic.ERROR, summary=summary, detail=detail)


def _path(steps: list[str]) -> pb.AttributePath:
    return pb.AttributePath(steps=[pb.AttributePath.Step(attribute_name=s) for s in steps])


def deprecation_warnings(block: Block, config: Any) -> list[pb.Diagnostic]:
    if not isinstance(config, dict):
        return []
    return [
        pb.Diagnostic(
            severity=pb.Diagnostic.WARNING,
            summary="Argument is deprecated",
            detail=f"{name} is deprecated in hashicorp/aws {PROVIDER_VERSION}; see the provider's documentation.",
            attribute=_path([name]),
        )
        for name, attr in sorted(block.attributes.items())
        if attr.deprecated and config.get(name) is not None
    ]


R = TypeVar("R")


def guarded(response: Callable[..., R]) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Turn an exception in a handler into an error diagnostic naming this tool."""

    def wrap(handler: Callable[..., R]) -> Callable[..., R]:
        def run(self: Any, request: Any, context: Any) -> R:
            try:
                return handler(self, request, context)
            except Exception as exc:  # noqa: BLE001 - reported to Terraform
                traceback.print_exc(file=sys.stderr)
                return response(
                    diagnostics=[_error("Internal error in the offline hashicorp/aws provider", f"{exc!r}")]
                )

        run.__name__ = handler.__name__
        return run

    return wrap


class ProviderService(rpc.ProviderServicer):  # type: ignore[misc]
    def __init__(self, schema: ProviderSchema, schema_response: Callable[[], bytes]) -> None:
        self.schema = schema
        self.planner = Planner(schema, load_force_new())
        self._schema_bytes = schema_response
        self._schema_response: pb.GetProviderSchema.Response | None = None
        self._lock = threading.Lock()

    def GetMetadata(self, request: Any, context: Any) -> Any:
        return pb.GetMetadata.Response(
            server_capabilities=capabilities(),
            resources=[pb.GetMetadata.ResourceMetadata(type_name=n) for n in self.schema.resource_names],
            data_sources=[pb.GetMetadata.DataSourceMetadata(type_name=n) for n in self.schema.data_source_names],
        )

    def GetProviderSchema(self, request: Any, context: Any) -> Any:
        with self._lock:
            if self._schema_response is None:
                self._schema_response = pb.GetProviderSchema.Response.FromString(self._schema_bytes())
            return self._schema_response

    def ValidateProviderConfig(self, request: Any, context: Any) -> Any:
        return pb.ValidateProviderConfig.Response()

    # Terraform itself checks configuration against the schema; what is left
    # is what providers add, here the warning for deprecated arguments.
    @guarded(pb.ValidateResourceConfig.Response)
    def ValidateResourceConfig(self, request: Any, context: Any) -> Any:
        ts = self.schema.resource(request.type_name)
        return pb.ValidateResourceConfig.Response(
            diagnostics=deprecation_warnings(ts.block, _value(request.config)) if ts else []
        )

    @guarded(pb.ValidateDataResourceConfig.Response)
    def ValidateDataResourceConfig(self, request: Any, context: Any) -> Any:
        ts = self.schema.data_source(request.type_name)
        return pb.ValidateDataResourceConfig.Response(
            diagnostics=deprecation_warnings(ts.block, _value(request.config)) if ts else []
        )

    @guarded(pb.ConfigureProvider.Response)
    def ConfigureProvider(self, request: Any, context: Any) -> Any:
        config = _value(request.config) or {}
        region = config.get("region")
        if not isinstance(region, str) or not region:
            region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        self.planner.ctx.region = region
        default_tags = config.get("default_tags")
        if isinstance(default_tags, list) and default_tags and isinstance(default_tags[0], dict):
            tags = default_tags[0].get("tags")
            self.planner.ctx.default_tags = tags if isinstance(tags, dict) else {}
        return pb.ConfigureProvider.Response()

    @guarded(pb.UpgradeResourceState.Response)
    def UpgradeResourceState(self, request: Any, context: Any) -> Any:
        ts = self.schema.resource(request.type_name)
        if ts is None:
            return pb.UpgradeResourceState.Response(diagnostics=[_error(f"Unknown resource type {request.type_name}")])
        if not request.raw_state.json:
            return pb.UpgradeResourceState.Response(
                diagnostics=[_error("Unsupported state format", "Only JSON state can be read offline.")]
            )
        state = conform_block(json.loads(request.raw_state.json), ts.block)
        return pb.UpgradeResourceState.Response(upgraded_state=_dynamic(state))

    def ReadResource(self, request: Any, context: Any) -> Any:
        # Nothing to refresh from: the prior state stands.
        return pb.ReadResource.Response(new_state=request.current_state, private=request.private)

    @guarded(pb.PlanResourceChange.Response)
    def PlanResourceChange(self, request: Any, context: Any) -> Any:
        if self.schema.resource(request.type_name) is None:
            return pb.PlanResourceChange.Response(diagnostics=[_error(f"Unknown resource type {request.type_name}")])
        result = self.planner.plan(
            request.type_name,
            _value(request.prior_state),
            _value(request.proposed_new_state),
            _value(request.config),
        )
        return pb.PlanResourceChange.Response(
            planned_state=_dynamic(result.planned),
            requires_replace=[_path(p) for p in result.requires_replace],
            planned_private=request.prior_private,
        )

    def ApplyResourceChange(self, request: Any, context: Any) -> Any:
        return pb.ApplyResourceChange.Response(diagnostics=[_error(APPLY_REFUSED, APPLY_DETAIL)])

    def ImportResourceState(self, request: Any, context: Any) -> Any:
        return pb.ImportResourceState.Response(diagnostics=[_error(APPLY_REFUSED, APPLY_DETAIL)])

    def MoveResourceState(self, request: Any, context: Any) -> Any:
        return pb.MoveResourceState.Response(diagnostics=[_error(APPLY_REFUSED, APPLY_DETAIL)])

    @guarded(pb.ReadDataSource.Response)
    def ReadDataSource(self, request: Any, context: Any) -> Any:
        ts = self.schema.data_source(request.type_name)
        if ts is None:
            return pb.ReadDataSource.Response(diagnostics=[_error(f"Unknown data source {request.type_name}")])
        config = _value(request.config)
        state = datasources.read(request.type_name, ts.block, config, self.planner.ctx)
        return pb.ReadDataSource.Response(state=_dynamic(state))

    def GetFunctions(self, request: Any, context: Any) -> Any:
        resp = pb.GetFunctions.Response()
        for name, fn in functions_proto().items():
            resp.functions[name].CopyFrom(fn)
        return resp

    def CallFunction(self, request: Any, context: Any) -> Any:
        try:
            result = functions.call(request.name, [_value(a) for a in request.arguments])
        except functions.FunctionError as exc:
            error = pb.FunctionError(text=str(exc))
            if exc.argument is not None:
                error.function_argument = exc.argument
            return pb.CallFunction.Response(error=error)
        return pb.CallFunction.Response(result=_dynamic(result))

    def StopProvider(self, request: Any, context: Any) -> Any:
        return pb.StopProvider.Response()


class Controller(controller_rpc.GRPCControllerServicer):  # type: ignore[misc]
    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop

    def Shutdown(self, request: Any, context: Any) -> Any:
        self.stop.set()
        return controller_pb.Empty()


class Stdio(stdio_rpc.GRPCStdioServicer):  # type: ignore[misc]
    def StreamStdio(self, request: Any, context: Any) -> Any:
        return iter(())


# ---------------------------------------------------------------------------
# go-plugin handshake
# ---------------------------------------------------------------------------


def _certificate() -> tuple[bytes, bytes, bytes]:
    """(key PEM, certificate PEM, certificate DER) of a fresh self-signed server certificate."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH, x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM), cert.public_bytes(serialization.Encoding.DER)


def serve(schema_path: Path | None = None) -> int:
    if os.environ.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        print(
            "This is the offline hashicorp/aws provider, a Terraform plugin. Terraform starts it; "
            "run Terraform through scripts/terraform-offline instead.",
            file=sys.stderr,
        )
        return 1
    if "6" not in os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "6").split(","):
        print("error: Terraform did not offer plugin protocol 6", file=sys.stderr)
        return 1

    schema_path = schema_path or SCHEMA_FILE
    schema = load(schema_path)
    cache_env = os.environ.get("TF_OFFLINE_CACHE")
    cache_dir = Path(cache_env) if cache_env else None
    stop = threading.Event()
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=16),
        options=[("grpc.max_receive_message_length", 256 << 20), ("grpc.max_send_message_length", 256 << 20)],
    )
    service = ProviderService(schema, lambda: cached_schema_response(schema, schema_path, cache_dir))
    rpc.add_ProviderServicer_to_server(service, server)
    controller_rpc.add_GRPCControllerServicer_to_server(Controller(stop), server)
    stdio_rpc.add_GRPCStdioServicer_to_server(Stdio(), server)

    key_pem, cert_pem, cert_der = _certificate()
    # Terraform checks this certificate (sent in the handshake line) but does not
    # present one of its own; the socket lives in a directory only we can read.
    credentials = grpc.ssl_server_credentials([(key_pem, cert_pem)], require_client_auth=False)
    workdir = tempfile.mkdtemp(prefix="tf-offline-aws-")
    socket_path = os.path.join(workdir, "plugin.sock")
    try:
        server.add_secure_port(f"unix://{socket_path}", credentials)
        server.start()
        # Like Go plugins, ignore Ctrl-C (Terraform forwards it and then asks
        # the provider to stop over gRPC); SIGTERM ends the process.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        cert_b64 = base64.b64encode(cert_der).decode().rstrip("=")
        sys.stdout.write(f"1|6|unix|{socket_path}|grpc|{cert_b64}\n")
        sys.stdout.flush()
        stop.wait()
        server.stop(grace=0.5).wait()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def main() -> int:
    schema_env = os.environ.get("TF_OFFLINE_SCHEMA")
    return serve(Path(schema_env) if schema_env else None)


if __name__ == "__main__":
    sys.exit(main())
