import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { LISTING_INDEX, OWNERSHIP_INDEX } from '../../functions/shared/data/keys';

/**
 * The single table. Attribute names match `functions/shared/data/keys.ts`, which owns every key;
 * this construct only declares them to DynamoDB.
 */
export class LiandongTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: true,
      // Audit trails must outlive a mistaken `cdk destroy`.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: LISTING_INDEX,
      partitionKey: { name: 'listPk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'listSk', type: dynamodb.AttributeType.STRING },
    });
    this.table.addGlobalSecondaryIndex({
      indexName: OWNERSHIP_INDEX,
      partitionKey: { name: 'ownerPk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'ownerSk', type: dynamodb.AttributeType.STRING },
    });
  }
}
