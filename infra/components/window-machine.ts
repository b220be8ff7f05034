import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { WINDOW_STEPS, type WindowFunctionName } from '#shared/catalog';
import { checkWindowDefinition, renderWindowDefinition } from '#statemachines/definition';
import {
  childExecutionArnPattern,
  executionArnPattern,
  mapRunArnPattern,
  stateMachineLogGroupName,
} from '../naming';
import {
  assumeRolePolicy,
  invokeFunctionsStatement,
  LOG_DELIVERY_ACTIONS,
  type PolicyStatement,
  policyDocument,
  XRAY_STATEMENT,
} from '../policies';

export interface WindowStateMachineArgs {
  /** Physical name of the state machine (`<stage>-window`). */
  stateMachineName: string;
  /** Contents of statemachines/window.asl.json, `${...FunctionArn}` tokens unfilled. */
  definitionTemplate: string;
  /** ARN of the function behind each task. */
  functionArns: Record<WindowFunctionName, pulumi.Input<string>>;
  logRetentionDays: number;
}

/** Logs delivery of Step Functions is authorized on `*` (vended logs); see the AWS logging guide. */
const LOG_DELIVERY_STATEMENT: PolicyStatement = {
  Sid: 'VendedLogDelivery',
  Effect: 'Allow',
  Action: [...LOG_DELIVERY_ACTIONS],
  Resource: ['*'],
};

/** What the machine does to itself: its distributed maps start STANDARD child executions and redrive them. */
export function selfManagementStatements(stateMachineArn: string): PolicyStatement[] {
  return [
    {
      Sid: 'StartChildExecutions',
      Effect: 'Allow',
      Action: ['states:StartExecution'],
      Resource: [stateMachineArn],
    },
    {
      Sid: 'ManageChildExecutions',
      Effect: 'Allow',
      Action: ['states:DescribeExecution', 'states:StopExecution', 'states:RedriveExecution'],
      Resource: [childExecutionArnPattern(stateMachineArn), executionArnPattern(stateMachineArn)],
    },
    {
      Sid: 'DescribeMapRuns',
      Effect: 'Allow',
      Action: ['states:DescribeMapRun', 'states:ListMapRuns', 'states:UpdateMapRun'],
      Resource: [mapRunArnPattern(stateMachineArn)],
    },
  ];
}

/** What an operator needs to trace and redrive window runs (attach the managed policy to a group or role). */
export function operatorStatements(stateMachineArn: string): PolicyStatement[] {
  return [
    {
      Sid: 'StartAndListWindowRuns',
      Effect: 'Allow',
      Action: [
        'states:StartExecution',
        'states:ListExecutions',
        'states:DescribeStateMachine',
        'states:ListMapRuns',
      ],
      Resource: [stateMachineArn],
    },
    {
      Sid: 'TraceAndRedriveWindowRuns',
      Effect: 'Allow',
      Action: [
        'states:DescribeExecution',
        'states:GetExecutionHistory',
        'states:RedriveExecution',
        'states:StopExecution',
        'states:DescribeStateMachineForExecution',
      ],
      Resource: [executionArnPattern(stateMachineArn), childExecutionArnPattern(stateMachineArn)],
    },
    {
      Sid: 'TraceAndRedriveMapRuns',
      Effect: 'Allow',
      Action: ['states:DescribeMapRun', 'states:ListExecutions'],
      Resource: [mapRunArnPattern(stateMachineArn)],
    },
  ];
}

/**
 * The window run: a STANDARD state machine from statemachines/window.asl.json with the function ARNs
 * filled in, CloudWatch logging without execution data (contact data stays out), X-Ray tracing, and a
 * role that may invoke only the window functions and manage only its own executions.
 */
export class WindowStateMachine extends pulumi.ComponentResource {
  readonly stateMachine: aws.sfn.StateMachine;
  readonly arn: pulumi.Output<string>;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly operatorPolicy: aws.iam.Policy;

  constructor(name: string, args: WindowStateMachineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dmd:orchestration:WindowStateMachine', name, {}, opts);
    const functions = WINDOW_STEPS.map((step) => step.name);
    // Fail before any resource is registered when the template and the catalog disagree.
    checkWindowDefinition(args.definitionTemplate);

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: stateMachineLogGroupName(args.stateMachineName), retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Role of the ${args.stateMachineName} state machine`,
        assumeRolePolicy: JSON.stringify(assumeRolePolicy('states.amazonaws.com')),
      },
      { parent: this },
    );
    const functionArns = pulumi.all(functions.map((fn) => pulumi.output(args.functionArns[fn])));
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: functionArns.apply((arns) =>
          JSON.stringify(
            policyDocument([invokeFunctionsStatement(arns), LOG_DELIVERY_STATEMENT, XRAY_STATEMENT]),
          ),
        ),
      },
      { parent: this },
    );

    const definition = functionArns.apply((arns) =>
      renderWindowDefinition((fn) => arns[functions.indexOf(fn)] ?? '', args.definitionTemplate),
    );
    this.stateMachine = new aws.sfn.StateMachine(
      `${name}-machine`,
      {
        name: args.stateMachineName,
        type: 'STANDARD',
        roleArn: role.arn,
        definition,
        loggingConfiguration: {
          level: 'ALL',
          includeExecutionData: false,
          logDestination: pulumi.interpolate`${this.logGroup.arn}:*`,
        },
        tracingConfiguration: { enabled: true },
      },
      { parent: this, dependsOn: [policy] },
    );
    this.arn = this.stateMachine.arn;

    // Needs the machine's own ARN, so it is attached once the machine exists.
    new aws.iam.RolePolicy(
      `${name}-self-policy`,
      {
        role: role.id,
        policy: this.arn.apply((arn) => JSON.stringify(policyDocument(selfManagementStatements(arn)))),
      },
      { parent: this },
    );
    this.operatorPolicy = new aws.iam.Policy(
      `${name}-operator-policy`,
      {
        name: `${args.stateMachineName}-operator`,
        description: `Trace, start and redrive runs of ${args.stateMachineName}`,
        policy: this.arn.apply((arn) => JSON.stringify(policyDocument(operatorStatements(arn)))),
      },
      { parent: this },
    );
    this.registerOutputs({ arn: this.arn, operatorPolicyArn: this.operatorPolicy.arn });
  }
}
