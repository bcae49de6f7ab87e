// unit test: plain functions (CSV roster parsing), no SDK
import { describe, expect, it } from 'vitest';
import {
  parseRoster,
  readRoster,
  RosterValidationError,
} from '../../../../functions/reference/roster.js';
import { DEMO_JURISDICTION } from '../../../../infra/local/demo-jurisdiction.js';
import { deputyLinXiaohua } from '../../../support/items.js';

const HEADER = 'name,email,level1,body1,level2,body2,group,street,liaisonStation,active';

const rejected = (csv: string | Buffer) => {
  try {
    parseRoster(csv, DEMO_JURISDICTION);
  } catch (error) {
    expect(error).toBeInstanceOf(RosterValidationError);
    return (error as RosterValidationError).rows;
  }
  throw new Error('expected the roster to be rejected');
};

describe('parseRoster', () => {
  it('reads a UTF-8 roster with a BOM, quoted fields with commas, quotes and Chinese', () => {
    const csv =
      '\uFEFF' +
      [
        HEADER,
        '林晓华,Lin.Xiaohua@Deputies.Example.org,MUNICIPAL,广州市人民代表大会,DISTRICT,广州市黄埔区人民代表大会,市人大黄埔联组,WENCHONG,文冲人大代表联络站,true',
        '"陈, 志明",chen@example.org,区,"广州市黄埔区人民代表大会",,,"区人大文冲代表小组, 第一组",文冲街道,"联络站 ""东区""",',
        '何雅婷,he@example.org,镇,广州市黄埔区新龙镇人民代表大会,,,,新龙,,否',
      ].join('\r\n') +
      '\r\n';
    const rows = parseRoster(Buffer.from(csv, 'utf8'), DEMO_JURISDICTION);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      line: 2,
      deputy: {
        ...deputyLinXiaohua('lin.xiaohua@deputies.example.org'),
        liaisonStation: '文冲人大代表联络站',
        active: true,
      },
    });
    expect(rows[1]!.deputy).toMatchObject({
      name: '陈, 志明',
      seats: [{ level: 'DISTRICT', body: '广州市黄埔区人民代表大会' }],
      group: '区人大文冲代表小组, 第一组',
      street: 'WENCHONG',
      liaisonStation: '联络站 "东区"',
      active: true,
    });
    expect(rows[2]!.deputy).toMatchObject({ street: 'XINLONG', active: false });
    expect(rows[2]!.deputy.seats).toEqual([
      { level: 'TOWN', body: '广州市黄埔区新龙镇人民代表大会' },
    ]);
  });

  it('accepts columns in any order, in any case, and only the required ones', () => {
    const rows = parseRoster(
      'EMAIL,Name,Body1,LEVEL1\nwang@example.org,王芳,全国人民代表大会,全国\n',
      DEMO_JURISDICTION,
    );
    expect(rows[0]!.deputy).toEqual({
      name: '王芳',
      email: 'wang@example.org',
      seats: [{ level: 'NATIONAL', body: '全国人民代表大会' }],
      active: true,
    });
  });

  it('reports every row error with its line and column, and imports nothing', () => {
    const csv = [
      HEADER,
      '王伟,wang@example.org,DISTRICT,黄埔区人大,,,,,,',
      ',not-an-email,MAYOR,黄埔区人大,,,,,,',
      '李娜,li@example.org,DISTRICT,,DISTRICT,黄埔区人大,,MARS,,maybe',
      '张敏,zhang@example.org,DISTRICT,黄埔区人大,MUNICIPAL,,,,,',
    ].join('\n');
    const rows = rejected(csv);
    expect(rows).toEqual(
      expect.arrayContaining([
        { line: 3, field: 'name', message: 'required' },
        { line: 3, field: 'email', message: 'must be an email address' },
        { line: 3, field: 'level1', message: expect.stringContaining('NATIONAL') },
        { line: 4, field: 'body1', message: 'required' },
        { line: 4, field: 'level2', message: 'duplicate level DISTRICT' },
        { line: 4, field: 'street', message: expect.any(String) },
        { line: 4, field: 'active', message: expect.stringContaining('true or false') },
        { line: 5, field: 'body2', message: 'required' },
      ]),
    );
    expect(rows.some((row) => row.line === 2)).toBe(false);
  });

  it('reports duplicate emails inside the file on the later line, case-insensitively', () => {
    const csv = [
      'name,email,level1,body1',
      '王伟,wang@example.org,DISTRICT,黄埔区人大',
      '李娜,li@example.org,DISTRICT,黄埔区人大',
      '王伟二,WANG@example.org,DISTRICT,黄埔区人大',
    ].join('\n');
    expect(rejected(csv)).toEqual([
      { line: 4, field: 'email', message: 'wang@example.org appears already on line 2' },
    ]);
  });

  it('counts lines across quoted line breaks and blank lines', () => {
    const csv = [
      'name,email,level1,body1,liaisonStation',
      '王伟,wang@example.org,DISTRICT,黄埔区人大,"第一行',
      '第二行"',
      '',
      '李娜,bad,DISTRICT,黄埔区人大,',
    ].join('\n');
    const { rows, errors } = readRoster(csv, DEMO_JURISDICTION);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.deputy.liaisonStation).toBe('第一行\n第二行');
    expect(errors).toEqual([{ line: 5, field: 'email', message: 'must be an email address' }]);
  });

  it('reports a row with the wrong number of columns', () => {
    expect(rejected('name,email,level1,body1\n王伟,wang@example.org,DISTRICT\n')).toEqual([
      { line: 2, field: 'row', message: 'expected 4 columns as in the header, got 3' },
    ]);
  });

  it('rejects a bad header, an empty file, a header-only file and broken quoting', () => {
    expect(rejected('name,mail,level1,body1,age\n')).toEqual(
      expect.arrayContaining([
        { line: 1, field: 'row', message: expect.stringContaining('unknown column "mail"') },
        { line: 1, field: 'email', message: 'required column email is missing' },
      ]),
    );
    expect(rejected('')[0]).toMatchObject({ line: 1, message: 'the file is empty' });
    expect(rejected('name,email,level1,body1\n')[0]).toMatchObject({ line: 2, field: 'row' });
    expect(
      rejected('name,email,level1,body1\n"王伟,wang@example.org,DISTRICT,x\n')[0],
    ).toMatchObject({
      field: 'row',
      message: expect.stringContaining('not valid CSV'),
    });
  });

  it('names lines and fields in the 422 issues as lines.<line>.<field>', () => {
    const error = (() => {
      try {
        parseRoster('name,email,level1,body1\n王伟,x,DISTRICT,黄埔区人大\n', DEMO_JURISDICTION);
      } catch (caught) {
        return caught as RosterValidationError;
      }
      throw new Error('not rejected');
    })();
    expect(error.statusCode).toBe(422);
    expect(error.issues).toEqual([{ path: 'lines.2.email', message: 'must be an email address' }]);
    expect(error.message).toContain('line 2, email');
  });
});

describe('ill-formed Unicode in the roster', () => {
  it('is refused per line and column; the other rows are still checked', () => {
    const rows = rejected(
      [
        'name,email,level1,body1,group',
        `林\ud800晓华,lin@example.org,区,广州市黄埔区人民代表大会,`,
        '陈志明,chen@example.org,区,广州市黄埔区人民代表大会,',
        `何雅婷,he@example.org,区,广州市黄埔区人民代表大会,联组\udc01`,
      ].join('\n'),
    );
    expect(rows).toEqual([
      { line: 2, field: 'name', message: 'is not well-formed Unicode (it holds a lone surrogate)' },
      {
        line: 4,
        field: 'group',
        message: 'is not well-formed Unicode (it holds a lone surrogate)',
      },
    ]);
  });
});
