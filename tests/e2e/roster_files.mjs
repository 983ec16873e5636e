// Roster files made at test time for the import's browser test and bench: an .xlsx (a
// minimal zip of stored entries with inline strings and numbers), CSV text in GBK (encoded
// by python3), valid resident IDs; and the reading back of an .xlsx the server sends.
import { spawnSync } from 'node:child_process';
import { crc32, inflateRawSync } from 'node:zlib';

/** An 18-digit resident ID from its first 17 digits (GB 11643 check character). */
export function residentId(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

/** The same ID with a wrong check character. */
export function wrongCheck(id) {
  const last = id.at(-1) === '0' ? '1' : '0';
  return id.slice(0, 17) + last;
}

const DIGITS = '零一二三四五六七八九';

/** A name of Chinese characters only (the form takes letters of any script, no digits). */
export function chineseName(prefix, n) {
  return prefix + [...String(n)].map((d) => DIGITS[Number(d)]).join('');
}

/** A zip of `files` ({ name: string | Buffer }) with stored (uncompressed) entries. */
export function storedZip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const common = Buffer.alloc(26);
    common.writeUInt16LE(20, 0); // version needed
    common.writeUInt16LE(0x0800, 2); // UTF-8 names
    common.writeUInt16LE(0, 4); // stored
    common.writeUInt32LE(0, 6); // time, date
    common.writeUInt32LE(crc32(body), 10);
    common.writeUInt32LE(body.length, 14);
    common.writeUInt32LE(body.length, 18);
    common.writeUInt16LE(nameBytes.length, 22);
    common.writeUInt16LE(0, 24); // extra
    const local = Buffer.concat([u32(0x04034b50), common, nameBytes, body]);
    const tail = Buffer.alloc(10); // comment length, disk, internal and external attributes
    centrals.push(Buffer.concat([u32(0x02014b50), u16(20), common, tail, u32(offset), nameBytes]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length, 8);
  end.writeUInt16LE(centrals.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}

const u16 = (n) => { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; };
const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };

const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const column = (i) => (i < 26 ? '' : String.fromCharCode(64 + Math.floor(i / 26))) + String.fromCharCode(65 + (i % 26));

/**
 * A one-sheet .xlsx of `rows` (the first is the header): strings as inline strings, numbers
 * as numbers (an Excel date is its serial day number), empty strings left out.
 */
export function xlsxOf(rows) {
  const sheetRows = rows.map((cells, r) => {
    const xml = cells.map((v, c) => {
      const ref = `${column(c)}${r + 1}`;
      if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
      if (v === '') return '';
      return `<c r="${ref}" t="inlineStr"><is><t>${escapeXml(v)}</t></is></c>`;
    });
    return `<row r="${r + 1}">${xml.join('')}</row>`;
  });
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const pkg = 'http://schemas.openxmlformats.org/package/2006/relationships';
  return storedZip({
    '[Content_Types].xml': `${head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      + '<Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      + '</Types>',
    '_rels/.rels': `${head}<Relationships xmlns="${pkg}"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${head}<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${head}<Relationships xmlns="${pkg}"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `${head}<worksheet xmlns="${main}"><sheetData>${sheetRows.join('')}</sheetData></worksheet>`,
  });
}

/** CSV text (RFC 4180: fields with commas, quotes or line breaks quoted), CRLF lines. */
export function csvOf(rows) {
  const field = (v) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** `text` encoded as GBK, as Excel in Chinese Windows saves a CSV. */
export function gbk(text) {
  const out = spawnSync('python3', ['-c', "import sys; sys.stdout.buffer.write(sys.stdin.read().encode('gbk'))"], {
    input: text,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PYTHONIOENCODING: 'utf-8' },
  });
  if (out.status !== 0) throw new Error(`python3 could not encode GBK: ${out.stderr}`);
  return out.stdout;
}

/** The entries of a zip, by name (stored or deflated). */
export function unzip(buffer) {
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const entries = {};
  for (let i = 0; i < count; i++) {
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const skip = buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(dataAt, dataAt + size);
    entries[name] = method === 8 ? inflateRawSync(data) : data;
    at += 46 + nameLength + skip;
  }
  return entries;
}

const unescapeXml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The first sheet of an .xlsx as rows of cell texts (shared strings resolved). */
export function readXlsx(buffer) {
  const files = unzip(buffer);
  const shared = [];
  const sst = files['xl/sharedStrings.xml']?.toString('utf8') ?? '';
  for (const [, si] of sst.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    shared.push([...si.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map(([, t]) => unescapeXml(t)).join(''));
  }
  const sheet = files['xl/worksheets/sheet1.xml'].toString('utf8');
  const rows = [];
  for (const [, body] of sheet.matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells = [];
    for (const [, attrs, inner] of body.matchAll(/<c([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const col = /r="([A-Z]+)\d+"/.exec(attrs)[1];
      const index = [...col].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
      const value = /<v>([\s\S]*?)<\/v>/.exec(inner ?? '')?.[1] ?? /<t[^>]*>([\s\S]*?)<\/t>/.exec(inner ?? '')?.[1] ?? '';
      cells[index] = /t="s"/.test(attrs) ? shared[Number(value)] : unescapeXml(value);
    }
    rows.push(Array.from(cells, (c) => c ?? ''));
  }
  return rows;
}
