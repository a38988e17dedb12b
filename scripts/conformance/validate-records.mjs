// Checks every Bluesky record Herald makes for the counting fixture with @atproto/api's own lexicon validator.
// Herald's Bluesky adapter posts each fixture string, and every tenth one stretched to a thread, to the sandbox PDS
// (the C# test BlueskyRecordConformanceTests); with HERALD_BLUESKY_RECORDS set, that test writes the records the
// sandbox received. This script runs it, then validates each record as a PDS does (lexicons.assertValidRecord), so
// a record Bluesky would refuse fails here. Run `npm ci && npm run validate-records` in this folder
// (docs/counting.md); `node validate-records.mjs --records FILE` validates a file written before, without dotnet.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { AppBskyFeedPost, jsonToLex, lexicons } from '@atproto/api';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

function recordsFile() {
  const given = process.argv.indexOf('--records');
  if (given >= 0) {
    return path.resolve(process.argv[given + 1]);
  }

  const file = path.join(mkdtempSync(path.join(tmpdir(), 'herald-records-')), 'records.json');
  console.log('Posting the fixture through Herald\'s Bluesky adapter to the sandbox (dotnet test)…');
  execFileSync('dotnet', [
    'test', path.join(root, 'tests/Herald.Platforms.Tests'), '-c', 'Release',
    '--filter', 'FullyQualifiedName~BlueskyRecordConformanceTests',
  ], { stdio: 'inherit', env: { ...process.env, HERALD_BLUESKY_RECORDS: file } });
  return file;
}

const records = JSON.parse(readFileSync(recordsFile(), 'utf8'));
const invalid = [];
let replies = 0;
let facets = 0;
for (const { uri, record } of records) {
  const value = jsonToLex(record);
  let problem = null;
  try {
    lexicons.assertValidRecord('app.bsky.feed.post', value);
  } catch (error) {
    problem = error.message;
  }

  const typed = AppBskyFeedPost.validateRecord(value);
  if (!problem && !typed.success) {
    problem = typed.error.message;
  }

  if (problem) {
    invalid.push(`${uri}: ${problem}\n    ${JSON.stringify(record.text).slice(0, 200)}`);
  }

  replies += record.reply ? 1 : 0;
  facets += record.facets?.length ?? 0;
}

for (const line of invalid.slice(0, 20)) {
  console.log(line);
}

console.log(`${records.length} Bluesky records (${replies} thread replies, ${facets} facets) checked with the app.bsky.feed.post lexicon of @atproto/api`);
console.log(`records: ${records.length - invalid.length} passed, ${invalid.length} failed`);
process.exitCode = invalid.length === 0 && records.length > 0 ? 0 : 1;
