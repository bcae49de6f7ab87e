// The project table's shape as `cdk synth` emits it (pk/sk, the listing index, TTL on
// expiresAt), for the small hand-written templates and tables that test the local cloud itself.

/** The table's primary key: partition `pk`, sort `sk`. */
export const itemKeySchema = () => [
  { AttributeName: 'pk', KeyType: 'HASH' as const },
  { AttributeName: 'sk', KeyType: 'RANGE' as const },
];

/** The `AWS::DynamoDB::Table` properties of a template: the keys, the listing index and TTL. */
export const itemsTableProperties = () => ({
  KeySchema: itemKeySchema(),
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'listPk', AttributeType: 'S' },
    { AttributeName: 'listSk', AttributeType: 'S' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [
    {
      IndexName: 'listing',
      KeySchema: [
        { AttributeName: 'listPk', KeyType: 'HASH' },
        { AttributeName: 'listSk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
});
