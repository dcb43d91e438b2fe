"""The original Flask implementation of SimpleTimeService, kept as a benchmark reference.

Run as the original ran it: Flask's built-in server, one process. (It also shows the bug this
project fixes: behind a load balancer `request.remote_addr` is the balancer.)
"""

import sys
from datetime import datetime, timezone

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/")
def index():
    return jsonify({"timestamp": datetime.now(timezone.utc).isoformat(), "ip": request.remote_addr})


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
