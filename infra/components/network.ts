import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { privateSubnetOffset, subnetCidr } from '../cidr';

export interface NetworkArgs {
  /** CIDR of the VPC (/16 to /20); subnets are /24 slices of it (public first, private from privateSubnetOffset). */
  cidr: string;
  availabilityZones: string[];
  /** NAT gateways (1 for dev; one per zone for prod). */
  natGateways: number;
  region: string;
}

/**
 * Interface endpoints: only for the AWS services the functions' code calls from the VPC (each one costs
 * per zone and hour). DynamoDB has a gateway endpoint (free); SES, Discovery, Bitly and the SMS provider go
 * through NAT. Not here on purpose: `states` (only the operator CLI on a workstation calls Step Functions),
 * `secretsmanager` (secrets are SSM parameters), `logs` (Lambda ships function logs itself, outside the
 * function's network), X-Ray (the Lambda service sends traces).
 */
export const INTERFACE_ENDPOINT_SERVICES = {
  /** status-webhook puts delivery statuses on the stream (PutRecord). */
  'kinesis-streams': 'kinesis',
  /** The functions with secrets (catalog `secrets`) read them at cold start (ssm:GetParameter). */
  ssm: 'ssm',
} as const;

export type InterfaceEndpointService = keyof typeof INTERFACE_ENDPOINT_SERVICES;

/**
 * The VPC the functions run in (CONST-005): private subnets for the functions, public subnets for NAT
 * (the external APIs: Discovery, Bitly, SMS, SES), VPC endpoints for the AWS services on the hot path,
 * and security groups that allow HTTPS out only.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly functionSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dmd:network:Network', name, {}, opts);
    const parent = { parent: this };
    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } },
      parent,
    );
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: name } }, parent);
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
        tags: { Name: `${name}-public` },
      },
      parent,
    );

    const zones = args.availabilityZones;
    const privateOffset = privateSubnetOffset(args.cidr);
    const publicSubnets = zones.map((zone, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-public-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: subnetCidr(args.cidr, i),
          availabilityZone: zone,
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-public-${zone}` },
        },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${i}-rta`,
        { subnetId: subnet.id, routeTableId: publicRoutes.id },
        parent,
      );
      return subnet;
    });

    const nats = publicSubnets.slice(0, Math.min(args.natGateways, zones.length)).map((subnet, i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-${i}-eip`,
        { domain: 'vpc', tags: { Name: `${name}-nat-${i}` } },
        parent,
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        { allocationId: eip.id, subnetId: subnet.id, tags: { Name: `${name}-nat-${i}` } },
        { parent: this, dependsOn: [igw] },
      );
    });

    const privateRouteTables: aws.ec2.RouteTable[] = [];
    const privateSubnets = zones.map((zone, i) => {
      const nat = nats[i % nats.length];
      const routeTable = new aws.ec2.RouteTable(
        `${name}-private-${i}-rt`,
        {
          vpcId: vpc.id,
          routes: nat ? [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }] : [],
          tags: { Name: `${name}-private-${zone}` },
        },
        parent,
      );
      privateRouteTables.push(routeTable);
      const subnet = new aws.ec2.Subnet(
        `${name}-private-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: subnetCidr(args.cidr, privateOffset + i),
          availabilityZone: zone,
          tags: { Name: `${name}-private-${zone}` },
        },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${i}-rta`,
        { subnetId: subnet.id, routeTableId: routeTable.id },
        parent,
      );
      return subnet;
    });

    const functionSg = new aws.ec2.SecurityGroup(
      `${name}-functions-sg`,
      {
        vpcId: vpc.id,
        description: 'Lambda functions: HTTPS out only',
        egress: [
          { protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'], description: 'HTTPS' },
        ],
        tags: { Name: `${name}-functions` },
      },
      parent,
    );
    const endpointSg = new aws.ec2.SecurityGroup(
      `${name}-endpoints-sg`,
      {
        vpcId: vpc.id,
        description: 'VPC interface endpoints: HTTPS from the functions',
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            securityGroups: [functionSg.id],
            description: 'functions',
          },
        ],
        tags: { Name: `${name}-endpoints` },
      },
      parent,
    );

    new aws.ec2.VpcEndpoint(
      `${name}-dynamodb`,
      {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${args.region}.dynamodb`,
        vpcEndpointType: 'Gateway',
        routeTableIds: privateRouteTables.map((table) => table.id),
        tags: { Name: `${name}-dynamodb` },
      },
      parent,
    );
    for (const service of Object.keys(INTERFACE_ENDPOINT_SERVICES) as InterfaceEndpointService[]) {
      new aws.ec2.VpcEndpoint(
        `${name}-${service}`,
        {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${args.region}.${service}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: privateSubnets.map((subnet) => subnet.id),
          securityGroupIds: [endpointSg.id],
          tags: { Name: `${name}-${service}` },
        },
        parent,
      );
    }

    this.vpcId = vpc.id;
    this.privateSubnetIds = privateSubnets.map((subnet) => subnet.id);
    this.functionSecurityGroupId = functionSg.id;
    this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds });
  }
}
