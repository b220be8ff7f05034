/** Physical names: every resource of a stage starts with the stage name, so stages never collide. */

export const PROJECT = 'dmd';

/** `${stage}-${name}`: tables, functions, queues, the state machine. */
export function physicalName(stage: string, name: string): string {
  return `${stage}-${name}`;
}

/** SSM parameter names of the secrets: `/dmd/<stage>/<name>`. */
export function parameterName(stage: string, name: string): string {
  return `/${PROJECT}/${stage}/${name}`;
}

/** Log group of a Lambda function (the name Lambda writes to unless told otherwise). */
export function functionLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** Log group of the window state machine (vended logs need the /aws/vendedlogs/ prefix to avoid policy limits). */
export function stateMachineLogGroupName(stateMachineName: string): string {
  return `/aws/vendedlogs/states/${stateMachineName}`;
}

/** Executions of a state machine and of its distributed map children share this ARN prefix. */
export function executionArnPattern(stateMachineArn: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:*`;
}

/** Child executions started by a distributed map run: `execution:<machine>/<mapRunLabel>:<id>`. */
export function childExecutionArnPattern(stateMachineArn: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}/*`;
}

/** Map runs of a state machine (`mapRun:<machine>/<label>:<id>`), for DescribeMapRun and redrive. */
export function mapRunArnPattern(stateMachineArn: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':mapRun:')}/*`;
}
