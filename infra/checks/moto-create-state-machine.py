"""Creates state machines in moto's Step Functions, with its ASL parser on, to see which definitions it accepts.

stdin: a JSON object {name: definition string}. stdout: a JSON object {name: {"ok": true} or
{"ok": false, "error": ...}}. Exit 0 when every definition was tried, 3 when moto or boto3 is missing.
Used by infra/checks/independent.ts (npm test).
"""

import json
import sys

try:
    import boto3
    from botocore.exceptions import ClientError
    from moto import mock_aws
except ImportError as missing:  # depends on the machine
    print(json.dumps({"missing": f"{missing}"}))
    sys.exit(3)


def main() -> int:
    definitions = json.load(sys.stdin)
    results = {}
    # execute_state_machine switches moto to its ASL parser, which parses the definition on create.
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        sfn = boto3.client(
            "stepfunctions",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        for index, (name, definition) in enumerate(definitions.items()):
            try:
                sfn.create_state_machine(
                    name=f"machine-{index}",
                    definition=definition,
                    roleArn="arn:aws:iam::123456789012:role/window",
                    type="STANDARD",
                )
                results[name] = {"ok": True}
            except ClientError as error:
                results[name] = {"ok": False, "error": str(error)}
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
