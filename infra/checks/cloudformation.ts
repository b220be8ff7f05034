/**
 * The synthesized stack's documents that AWS itself validates at deploy time, wrapped as CloudFormation
 * resources so that cfn-lint (AWS's own linter, with the service schemas and IAM action lists) can check
 * them: the state machine definition, every IAM policy and trust policy, and the KMS key policies.
 */
import type { SynthesizedResource } from '../synthesize';

export interface CloudFormationTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

/** A CloudFormation logical id (alphanumeric) from a Pulumi resource name: `dev-window-machine` -> `DevWindowMachine`. */
export function logicalId(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}

const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/** The role ARN a state machine needs in the template: a placeholder of the right shape is enough. */
const PLACEHOLDER_ROLE_ARN = 'arn:aws:iam::123456789012:role/placeholder';

/**
 * One template with: AWS::StepFunctions::StateMachine (Definition as an object, as CloudFormation takes
 * it), AWS::IAM::ManagedPolicy per role policy or managed policy, AWS::IAM::Role per trust policy, and
 * AWS::KMS::Key per key policy.
 */
export function toCloudFormationTemplate(resources: readonly SynthesizedResource[]): CloudFormationTemplate {
  const out: CloudFormationTemplate['Resources'] = {};
  const add = (name: string, suffix: string, Type: string, Properties: Record<string, unknown>) => {
    const id = logicalId(`${name}-${suffix}`);
    if (out[id]) throw new Error(`Two resources map to the CloudFormation logical id ${id}`);
    out[id] = { Type, Properties };
  };
  for (const resource of resources) {
    const inputs = resource.inputs;
    switch (resource.type) {
      case 'aws:sfn/stateMachine:StateMachine':
        add(resource.name, 'machine', 'AWS::StepFunctions::StateMachine', {
          StateMachineName: String(inputs.name),
          StateMachineType: String(inputs.type ?? 'STANDARD'),
          RoleArn: PLACEHOLDER_ROLE_ARN,
          Definition: json(inputs.definition),
        });
        break;
      case 'aws:iam/rolePolicy:RolePolicy':
      case 'aws:iam/policy:Policy':
        add(resource.name, 'policy', 'AWS::IAM::ManagedPolicy', { PolicyDocument: json(inputs.policy) });
        break;
      case 'aws:iam/role:Role':
        add(resource.name, 'role', 'AWS::IAM::Role', {
          AssumeRolePolicyDocument: json(inputs.assumeRolePolicy),
        });
        break;
      case 'aws:kms/key:Key':
        add(resource.name, 'key', 'AWS::KMS::Key', {
          KeyPolicy: json(inputs.policy),
          EnableKeyRotation: inputs.enableKeyRotation === true,
        });
        break;
    }
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'dmd-workers: documents of the synthesized stack, checked by cfn-lint',
    Resources: out,
  };
}
