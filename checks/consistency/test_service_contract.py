"""The Terraform, the Dockerfile and the service must agree on how the service runs.

Reads the offline plan of terraform/app (see tfplan.py), the Dockerfile
($SIMPLE_TIME_SERVICE_DOCKERFILE overrides), and the service binary
(.build/release/simple-time-service; $SIMPLE_TIME_SERVICE_BIN overrides), which
is run with the task definition's environment.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path

from tfplan import REPO_ROOT, load_plan, planned_resources

FARGATE_MAX_STOP_TIMEOUT = 120
BINARY = Path(os.environ.get("SIMPLE_TIME_SERVICE_BIN", REPO_ROOT / ".build" / "release" / "simple-time-service"))


def _only(resources: list[dict], type_: str) -> dict:
    matches = [r for r in resources if r["type"] == type_ and r.get("mode", "managed") == "managed"]
    if len(matches) != 1:
        raise AssertionError(f"expected one {type_} in the plan of terraform/app, found {len(matches)}")
    return matches[0]["values"]


def metrics_rules(resources: list[dict]) -> list[dict]:
    """The load balancer's listener rules that match the path /metrics."""
    found = []
    for resource in resources:
        if resource["type"] != "aws_lb_listener_rule":
            continue
        paths = [
            value
            for condition in resource["values"].get("condition") or []
            for pattern in condition.get("path_pattern") or []
            for value in pattern.get("values") or []
        ]
        if "/metrics" in paths:
            found.append(resource["values"])
    return found


def seconds(value) -> float:
    """A duration from --print-config: a number of seconds, or a string such as "10", "10s" or "1.5s"."""
    if isinstance(value, (int, float)):
        return float(value)
    match = re.fullmatch(r"\s*([0-9.]+)\s*(ms|s)?\s*", str(value))
    if not match:
        raise AssertionError(f"cannot read {value!r} as a duration")
    number = float(match.group(1))
    return number / 1000 if match.group(2) == "ms" else number


class Dockerfile:
    """The instructions of the Dockerfile's last stage that matter at run time."""

    def __init__(self, path: Path):
        text = path.read_text()
        # Join continuation lines, drop comments.
        text = re.sub(r"\\\n", " ", text)
        lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
        stages: list[list[str]] = []
        for line in lines:
            if line.upper().startswith("FROM "):
                stages.append([])
            if stages:
                stages[-1].append(line)
        if not stages:
            raise AssertionError("Dockerfile has no FROM")
        self.final = stages[-1]

    def last(self, instruction: str) -> str | None:
        found = [line[len(instruction):].strip() for line in self.final if line.upper().startswith(instruction + " ")]
        return found[-1] if found else None

    @staticmethod
    def exec_form(value: str) -> list[str]:
        value = value.strip()
        if not value.startswith("["):
            raise AssertionError(f"expected exec (JSON array) form, got: {value}")
        return json.loads(value)

    @property
    def user(self) -> str | None:
        return self.last("USER")

    @property
    def exposed_ports(self) -> set[int]:
        ports = set()
        for line in self.final:
            if line.upper().startswith("EXPOSE "):
                for token in line.split()[1:]:
                    ports.add(int(token.split("/")[0]))
        return ports

    @property
    def entrypoint(self) -> list[str]:
        value = self.last("ENTRYPOINT")
        if value is None:
            raise AssertionError("Dockerfile has no ENTRYPOINT in its final stage")
        return self.exec_form(value)

    @property
    def healthcheck_command(self) -> list[str]:
        value = self.last("HEALTHCHECK")
        if value is None:
            raise AssertionError("Dockerfile has no HEALTHCHECK in its final stage")
        match = re.search(r"\bCMD\s+(\[.*\])\s*$", value)
        if not match:
            raise AssertionError(f"HEALTHCHECK must use CMD in exec form: {value}")
        return self.exec_form(match.group(1))


class ServiceContract(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plan = load_plan("app")
        cls.resources = planned_resources(cls.plan)
        task = _only(cls.resources, "aws_ecs_task_definition")
        containers = json.loads(task["container_definitions"])
        if len(containers) != 1:
            raise AssertionError(f"expected one container in the task definition, found {len(containers)}")
        cls.task = task
        cls.container = containers[0]
        cls.environment = {e["name"]: e["value"] for e in cls.container["environment"]}
        cls.target_group = _only(cls.resources, "aws_lb_target_group")
        cls.load_balancer = _only(cls.resources, "aws_lb")
        cls.vpc = _only(cls.resources, "aws_vpc")
        cls.service = _only(cls.resources, "aws_ecs_service")
        cls.dockerfile_path = Path(os.environ.get("SIMPLE_TIME_SERVICE_DOCKERFILE", REPO_ROOT / "Dockerfile"))

    def dockerfile(self) -> Dockerfile:
        if not self.dockerfile_path.exists():
            self.fail(f"{self.dockerfile_path} does not exist")
        return Dockerfile(self.dockerfile_path)

    # --- Ports -------------------------------------------------------------

    def test_container_port_is_8080_everywhere(self):
        mappings = self.container["portMappings"]
        self.assertEqual(len(mappings), 1, "one port mapping")
        port = mappings[0]["containerPort"]
        self.assertEqual(port, 8080)
        self.assertEqual(self.environment["PORT"], str(port), "PORT must be the mapped container port")
        self.assertEqual(self.target_group["port"], port, "the target group must send to the container port")
        [lb] = self.service["load_balancer"]
        self.assertEqual(lb["container_port"], port, "the service must register the container port")
        self.assertEqual(lb["container_name"], self.container["name"])

    def test_dockerfile_exposes_the_container_port(self):
        port = self.container["portMappings"][0]["containerPort"]
        self.assertIn(port, self.dockerfile().exposed_ports, "Dockerfile must EXPOSE the container port")

    def test_only_the_load_balancer_reaches_the_container_port(self):
        port = self.container["portMappings"][0]["containerPort"]
        ingress = [r["values"] for r in self.resources if r["type"] == "aws_vpc_security_group_ingress_rule" and ".service." in f".{r['address']}."]
        self.assertEqual(len(ingress), 1, "the tasks' security group must have exactly one ingress rule")
        rule = ingress[0]
        self.assertEqual((rule["from_port"], rule["to_port"], rule["ip_protocol"]), (port, port, "tcp"))
        self.assertIsNone(rule.get("cidr_ipv4"), "the tasks must not be open to an address range")
        self.assertIsNone(rule.get("cidr_ipv6"), "the tasks must not be open to an address range")

    # --- Health --------------------------------------------------------------

    def test_load_balancer_health_check_is_healthz(self):
        [health] = self.target_group["health_check"]
        self.assertEqual(health["path"], "/healthz")
        self.assertEqual(health["matcher"], "200")
        self.assertEqual(health["port"], "traffic-port")

    def test_container_health_check_matches_the_dockerfile(self):
        command = self.container["healthCheck"]["command"]
        self.assertEqual(command, ["CMD", "/simple-time-service", "healthcheck"])
        docker = self.dockerfile()
        self.assertEqual(docker.healthcheck_command, command[1:], "Dockerfile HEALTHCHECK and the task's health check must run the same command")
        self.assertEqual(docker.entrypoint[0], command[1], "the health command must be the image's entrypoint binary")

    # --- User and hardening ------------------------------------------------

    def test_user_is_65532_as_in_the_dockerfile(self):
        task_user = self.container["user"]
        self.assertEqual(task_user.split(":")[0], "65532")
        docker_user = self.dockerfile().user
        self.assertIsNotNone(docker_user, "Dockerfile must set USER")
        self.assertEqual(docker_user.split(":")[0], task_user.split(":")[0], "task user and Dockerfile USER must be the same uid")
        if ":" in task_user and ":" in docker_user:
            self.assertEqual(docker_user.split(":")[1], task_user.split(":")[1], "task and Dockerfile must use the same gid")

    def test_hardening(self):
        self.assertIs(self.container["readonlyRootFilesystem"], True)
        self.assertEqual(self.container["linuxParameters"]["capabilities"]["drop"], ["ALL"])
        self.assertEqual(self.container["linuxParameters"]["capabilities"].get("add", []), [])
        self.assertIs(self.container["linuxParameters"]["initProcessEnabled"], True)
        self.assertNotIn("privileged", self.container)
        self.assertIs(self.service["enable_execute_command"], False, "ECS Exec is useless without a shell: off by default")

    # --- Client IP -----------------------------------------------------------

    def test_trusted_proxies_is_the_vpc_cidr(self):
        self.assertEqual(self.environment["TRUSTED_PROXIES"], self.vpc["cidr_block"])

    def test_load_balancer_appends_to_x_forwarded_for(self):
        self.assertEqual(self.load_balancer["xff_header_processing_mode"], "append")

    def test_load_balancer_subnets_are_inside_trusted_proxies(self):
        trusted = [ipaddress.ip_network(c) for c in self.environment["TRUSTED_PROXIES"].split(",")]
        public = [r["values"]["cidr_block"] for r in self.resources if r["type"] == "aws_subnet" and r["address"].split(".")[-1].startswith("public")]
        self.assertTrue(public, "no public subnets in the plan")
        for cidr in public:
            net = ipaddress.ip_network(cidr)
            self.assertTrue(any(net.subnet_of(t) for t in trusted), f"public subnet {cidr} (load balancer addresses) is not trusted")

    # --- Timing --------------------------------------------------------------

    def test_shutdown_finishes_before_sigkill(self):
        shutdown = float(self.environment["SHUTDOWN_TIMEOUT"])
        stop = self.container["stopTimeout"]
        self.assertLess(shutdown, stop, "SHUTDOWN_TIMEOUT must be below the container's stopTimeout")
        self.assertLessEqual(stop, FARGATE_MAX_STOP_TIMEOUT, "Fargate allows a stopTimeout of at most 120 s")

    def test_service_idle_timeout_outlives_the_load_balancer(self):
        self.assertGreater(float(self.environment["IDLE_TIMEOUT"]), float(self.load_balancer["idle_timeout"]))

    # --- Metrics ---------------------------------------------------------------

    def test_load_balancer_answers_metrics_itself(self):
        rules = metrics_rules(self.resources)
        self.assertEqual(len(rules), 1, "one listener rule must keep /metrics from the internet (expose_metrics defaults to false)")
        [rule] = rules
        [condition] = rule["condition"]
        self.assertEqual(condition["path_pattern"][0]["values"], ["/metrics"], "the rule must match exactly /metrics")
        [action] = rule["action"]
        self.assertEqual(action["type"], "fixed-response", "the rule must answer by itself, not forward")
        self.assertEqual(rule["priority"], 1, "the rule must come before any other rule of the listener")

    def test_logs_are_json(self):
        self.assertEqual(self.environment["LOG_FORMAT"], "json")
        self.assertEqual(self.container["logConfiguration"]["logDriver"], "awslogs")


class ServiceBinary(unittest.TestCase):
    """Run the real binary with the task definition's environment."""

    @classmethod
    def setUpClass(cls):
        if not BINARY.exists():
            raise AssertionError(f"{BINARY} does not exist: build it with `swift build -c release`")
        plan = load_plan("app")
        task = _only(planned_resources(plan), "aws_ecs_task_definition")
        cls.container = json.loads(task["container_definitions"])[0]
        cls.environment = {e["name"]: e["value"] for e in cls.container["environment"]}
        cls.load_balancer = _only(planned_resources(plan), "aws_lb")

    def run_binary(self, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BINARY), *args],
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
        )

    def test_print_config_accepts_the_task_environment(self):
        proc = self.run_binary(["--print-config"], self.environment)
        self.assertEqual(proc.returncode, 0, f"--print-config rejected the task environment: {proc.stderr.strip()}")
        config = json.loads(proc.stdout)
        self.assertEqual(config["port"], int(self.environment["PORT"]))
        self.assertEqual(config["port"], self.container["portMappings"][0]["containerPort"])
        self.assertEqual([str(ipaddress.ip_network(c)) for c in config["trusted_proxies"]], self.environment["TRUSTED_PROXIES"].split(","))
        self.assertEqual(seconds(config["shutdown_timeout"]), float(self.environment["SHUTDOWN_TIMEOUT"]))
        self.assertLess(seconds(config["shutdown_timeout"]), self.container["stopTimeout"])
        self.assertGreater(seconds(config["idle_timeout"]), float(self.load_balancer["idle_timeout"]))
        self.assertEqual(config["log_format"], "json")

    def test_print_config_rejects_a_bad_setting(self):
        # The check above is only meaningful if a bad environment is refused.
        proc = self.run_binary(["--print-config"], {**self.environment, "PORT": "not-a-port"})
        self.assertEqual(proc.returncode, 2, "a bad PORT must be refused with exit status 2")
        self.assertTrue(proc.stderr.strip(), "a refused setting must be explained on stderr")

    @contextlib.contextmanager
    def serving(self):
        """The service running with the task environment; yields (port, environment, process)."""
        # The task environment, on a free loopback port instead of 8080 (which
        # another process on this machine may hold).
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**self.environment, "PORT": str(port), "HOST": "127.0.0.1", "ACCESS_LOG": "off"}
        # Its output goes to a file: a pipe nobody reads could fill and block it.
        errors = tempfile.TemporaryFile(mode="w+")
        server = subprocess.Popen(
            [str(BINARY)],
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
            stdin=subprocess.DEVNULL,
            stdout=errors,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            status = None
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                        status = response.status
                        break
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.1)
            if server.poll() is not None:
                errors.seek(0)
                self.fail(f"the service exited with status {server.returncode}: {errors.read()[-2000:].strip()}")
            self.assertEqual(status, 200, "GET /healthz (the target group's health check) must answer 200")
            yield port, env, server
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
            errors.close()

    def test_health_path_and_command_work_with_the_task_environment(self):
        with self.serving() as (_port, env, server):
            check = self.run_binary(self.container["healthCheck"]["command"][2:], env)
            self.assertEqual(check.returncode, 0, f"the container health command failed: {check.stderr.strip()}")

            server.send_signal(signal.SIGTERM)
            try:
                code = server.wait(timeout=self.container["stopTimeout"])
            except subprocess.TimeoutExpired:
                self.fail(f"the service did not exit within stopTimeout ({self.container['stopTimeout']} s) of SIGTERM")
            self.assertEqual(code, 0, "the service must exit 0 after SIGTERM")

    def test_load_balancer_answers_metrics_as_the_service_answers_an_unknown_path(self):
        # The rule must hide a real route, and its answer must be the service's
        # own 404, so that nobody can tell the rule from the service.
        [rule] = metrics_rules(planned_resources(load_plan("app")))
        [fixed] = rule["action"][0]["fixed_response"]
        with self.serving() as (port, _env, _server):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
                self.assertEqual(response.status, 200, "the service must serve /metrics (what the rule keeps inside the VPC)")
            with self.assertRaises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-path", timeout=5)
            with caught.exception as not_found:
                body = not_found.read().decode()
                self.assertEqual(str(not_found.code), fixed["status_code"], "status of the rule and of the service's 404")
                self.assertEqual(not_found.headers.get_content_type(), fixed["content_type"], "content type of the rule and of the service's 404")
                self.assertEqual(body, fixed["message_body"], "body of the rule and of the service's 404")


if __name__ == "__main__":
    unittest.main()
