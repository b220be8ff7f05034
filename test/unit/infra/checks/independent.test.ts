/**
 * The stack's state machine definition and IAM documents, checked by tools that are not ours: cfn-lint
 * (CloudFormation resource schemas, the ASL schema, IAM action names) and moto's Step Functions parser.
 * asl-validator runs in test/unit/statemachines/definition.test.ts.
 */

import { readdirSync } from 'node:fs';
import { type CloudFormationTemplate, toCloudFormationTemplate } from '#infra/checks/cloudformation';
import {
  type CfnLintFinding,
  CheckToolMissingError,
  lintTemplates,
  type MotoVerdict,
  motoCreateStateMachines,
  withoutKnownFalsePositives,
} from '#infra/checks/independent';
import { readStackConfig, type SynthesizedResource, synthesize } from '#infra/synthesize';
import { ROOT } from '#test/helpers/paths';

const MACHINE = 'AWS::StepFunctions::StateMachine';

/** Every stage configuration of the repository (`Pulumi.<stage>.yaml`): dev and the prod example. */
const STAGES = readdirSync(ROOT).flatMap((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1] ?? []);

function definitionOf(template: CloudFormationTemplate): Record<string, unknown> & {
  States: Record<string, Record<string, unknown>>;
} {
  const machine = Object.values(template.Resources).find((resource) => resource.Type === MACHINE);
  if (!machine) throw new Error('no state machine in the template');
  return machine.Properties.Definition as ReturnType<typeof definitionOf>;
}

/** The dev template with one unknown state type and one misspelt IAM action. */
function broken(template: CloudFormationTemplate): CloudFormationTemplate {
  const copy = structuredClone(template);
  const definition = definitionOf(copy);
  const start = definition.States[String(definition.StartAt)];
  if (start) start.Type = 'Tusk';
  const policy = Object.values(copy.Resources).find(
    (resource) => resource.Type === 'AWS::IAM::ManagedPolicy',
  );
  const document = policy?.Properties.PolicyDocument as
    | { Statement: Array<{ Action: string[] }> }
    | undefined;
  const statement = document?.Statement[0];
  if (statement) statement.Action = ['dynamodb:GetItems'];
  return copy;
}

describe('independent checks of the synthesized stack', () => {
  let dev: SynthesizedResource[];
  let template: CloudFormationTemplate;
  let findings: CfnLintFinding[];
  let verdicts: Record<string, MotoVerdict>;
  const stages: Record<string, CloudFormationTemplate> = {};

  beforeAll(async () => {
    dev = await synthesize({ config: readStackConfig(ROOT, 'dev').config, rootDir: ROOT });
    template = toCloudFormationTemplate(dev);
    for (const stage of STAGES.filter((name) => name !== 'dev')) {
      const config = readStackConfig(ROOT, stage).config;
      stages[stage] = toCloudFormationTemplate(await synthesize({ config, rootDir: ROOT }));
    }
    // One process per tool for every case: each tool starts once, not once per template.
    [findings, verdicts] = await Promise.all([
      lintTemplates({ dev: template, broken: broken(template), ...stages }),
      motoCreateStateMachines({
        dev: JSON.stringify(definitionOf(template)),
        broken: JSON.stringify(definitionOf(broken(template))),
      }),
    ]);
  }, 180_000);

  it('wraps the rendered definition and every IAM, trust and key policy of the stack', () => {
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    const count = (type: string) => types.filter((t) => t === type).length;
    const synthesized = (...kinds: string[]) => dev.filter((r) => kinds.includes(r.type)).length;
    expect(count(MACHINE)).toBe(1);
    expect(count('AWS::IAM::ManagedPolicy')).toBe(
      synthesized('aws:iam/rolePolicy:RolePolicy', 'aws:iam/policy:Policy'),
    );
    expect(count('AWS::IAM::ManagedPolicy')).toBeGreaterThan(10);
    expect(count('AWS::IAM::Role')).toBe(synthesized('aws:iam/role:Role'));
    expect(count('AWS::KMS::Key')).toBe(1);
    expect(JSON.stringify(definitionOf(template))).toContain(
      'arn:aws:lambda:us-east-1:123456789012:function:dev-send-page',
    );
  });

  it('cfn-lint finds nothing in the dev stack (but the one documented false positive)', () => {
    const dev = findings.filter((finding) => finding.template === 'dev');
    expect(withoutKnownFalsePositives(dev, { dev: template })).toEqual([]);
  });

  it('cfn-lint finds nothing in any other stage configuration either (prod example)', () => {
    expect(Object.keys(stages).length).toBeGreaterThan(0);
    for (const stage of Object.keys(stages)) {
      const found = findings.filter((finding) => finding.template === stage);
      expect({ stage, findings: withoutKnownFalsePositives(found, stages) }).toEqual({ stage, findings: [] });
    }
  });

  it('drops only the Succeed-state OutputPath finding as a false positive', () => {
    const finding = (path: string) => ({
      rule: 'E3601',
      level: 'Error',
      message: "Additional properties are not allowed ('OutputPath' was unexpected)",
      template: 'dev',
      path,
    });
    const machine = Object.keys(template.Resources).find((id) => template.Resources[id]?.Type === MACHINE);
    const statePath = (state: string) =>
      `Resources/${machine}/Properties/Definition/States/${state}/OutputPath`;
    const succeed = Object.entries(definitionOf(template).States).find(([, s]) => s.Type === 'Succeed')?.[0];
    const task = String(definitionOf(template).StartAt);
    expect(succeed).toBeDefined();
    expect(withoutKnownFalsePositives([finding(statePath(String(succeed)))], { dev: template })).toEqual([]);
    expect(withoutKnownFalsePositives([finding(statePath(task))], { dev: template })).toHaveLength(1);
  });

  it('cfn-lint catches an unknown state type and a misspelt IAM action', () => {
    const found = findings.filter((finding) => finding.template === 'broken');
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'E3601', message: expect.stringContaining("'Tusk'") }),
        expect.objectContaining({ rule: 'W3037', message: expect.stringContaining("'getitems'") }),
      ]),
    );
  });

  it("moto's Step Functions accepts the rendered definition and refuses a broken one", () => {
    expect(verdicts.dev).toEqual({ ok: true });
    expect(verdicts.broken).toEqual({ ok: false, error: expect.stringContaining('Tusk') });
  });

  it('fails with the install command when a tool is missing, never passes', async () => {
    await expect(lintTemplates({ dev: template }, 'cfn-lint-absent')).rejects.toThrow(CheckToolMissingError);
    await expect(lintTemplates({}, 'cfn-lint-absent')).rejects.toThrow('pip install cfn-lint');
    // -S: Python without its site packages, as on a machine where moto is not installed.
    await expect(motoCreateStateMachines({}, ['python3', '-S'])).rejects.toThrow(
      /moto is not available \(No module named '(boto3|moto)'\): install it with `pip install 'moto\[stepfunctions\]' boto3`/,
    );
  });
});
