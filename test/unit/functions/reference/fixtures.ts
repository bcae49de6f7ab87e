// unit test fixtures for the reference data tests

/** Deputy 林晓华 as written to the API or read from a roster: two seats, one group, Wenchong. */
export const linXiaohua = (email: string) => ({
  name: '林晓华',
  email,
  seats: [
    { level: 'MUNICIPAL', body: '广州市人民代表大会' },
    { level: 'DISTRICT', body: '广州市黄埔区人民代表大会' },
  ],
  group: '市人大黄埔联组',
  street: 'WENCHONG',
});
