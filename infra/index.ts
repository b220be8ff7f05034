/** The Pulumi program (`main` in Pulumi.yaml): one stage, configured by `Pulumi.<stack>.yaml`. */
import { createStack } from './stack';

const outputs = createStack();

export const stage = outputs.stage;
export const stateMachineArn = outputs.stateMachineArn;
export const operatorPolicyArn = outputs.operatorPolicyArn;
export const scheduleName = outputs.scheduleName;
export const statusCallbackUrl = outputs.statusCallbackUrl;
export const inboundUrl = outputs.inboundUrl;
export const deliveryStreamName = outputs.deliveryStreamName;
export const tableNames = outputs.tableNames;
export const functionNames = outputs.functionNames;
export const dashboardName = outputs.dashboardName;
export const alarmTopicArn = outputs.alarmTopicArn;
export const apiUrl = outputs.apiUrl;
/** For the sites and apps: region, userPoolId and (the stage's own pool) userPoolClientId. */
export const fanAuth = outputs.fanAuth;
export const apiKey = outputs.apiKey;
export const apiKeyExpires = outputs.apiKeyExpires;
