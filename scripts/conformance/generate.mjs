// Writes the counting conformance fixture: a seeded corpus of mixed-script strings and, for each, what the
// platforms' own reference implementations say about it.
//   X:       twitter-text 3 parseTweet (weighted length, validity) and extractEntitiesWithIndices.
//   Bluesky: @atproto/api RichText (grapheme length, UTF-8 length, detectFacetsWithoutResolution).
// Run `npm ci && npm run generate` in this folder (docs/counting.md). The same seed gives the same corpus.
import { writeFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import twitterTextModule from 'twitter-text';
import { RichText } from '@atproto/api';

const twitter = twitterTextModule.default ?? twitterTextModule;
const here = path.dirname(fileURLToPath(import.meta.url));
const fixturePath = path.resolve(here, '../../tests/Herald.Platforms.Tests/Conformance/counting-fixture.json');

const SEED = 14;
const COUNT = 3600;

// mulberry32: small, seeded, the same on every machine.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = rng(SEED);
const pick = (list) => list[Math.floor(random() * list.length)];
const between = (low, high) => low + Math.floor(random() * (high - low + 1));

const words = {
  latin: ['naïve', 'İstanbul', 'café', 'Ångström', 'façade', 'Zürich', 'Łódź', 'ŞĞÜ', 'cafe\u0301', 'A\u030Angstro\u0308m',
    'hello', 'world', 'Straße', 'señor', 'Ærø', 'œuvre', 'ǅemal', 'ﬁne', 'Hi', 'ok'],
  cyrillic: ['Привет', 'Москва', 'ёлка', 'й', 'и\u0306', 'Україна', 'Ђорђе'],
  greek: ['Αθήνα', 'καλημέρα', 'ΐ', 'ι\u0308\u0301', 'Ωμέγα'],
  hebrew: ['שלום', 'עִבְרִית', 'ירושלים', 'בְּרֵאשִׁית'],
  arabic: ['مرحبا', 'العربية', 'مَرْحَبًا', 'سلام', 'لا', '\u0600\u0661\u0662'],
  devanagari: ['हिन्दी', 'क्षत्रिय', 'स्त्री', 'नमस्ते', 'द्वार', 'क्\u200Dष', 'क्\u200Cष', 'प्रेम', 'र्क', 'श्र्य', 'क़्ज़', 'अंग्रेज़ी'],
  indic: ['বাংলা', 'ক্ষ', 'ગુજરાતી', 'ક્ષ', 'తెలుగు', 'క్ష', 'മലയാളം', 'ക്ഷ', 'ଓଡ଼ିଆ', 'କ୍ଷ', 'தமிழ்', 'க்ஷ', 'ਪੰਜਾਬੀ', 'ਕ੍ਸ਼', 'ಕನ್ನಡ', 'ಕ್ಷ', 'සිංහල', 'ක්‍ෂ', 'ကျွန်တော်', 'ភាសាខ្មែរ'],
  thai: ['สวัสดี', 'ภาษาไทย', 'กำ', 'น้ำ', 'ເລື່ອງ'],
  cjk: ['日本語', '中文', '詳しくは', '漢字', 'へ', 'です', '한국', '𠮷野家', '〜', '（注）'],
  hangul: ['한국어', '\u1100\u1161\u11A8', '\u1100\u1161', '각', '\u110B\u1173\u11AF', 'ㄱ'],
};

const emoji = ['👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '🇺🇸', '🇯🇵🇰🇷', '1️⃣', '#️⃣', '*️⃣', '9\u20E3', '👍🏽', '❤️', '❤', '☺', '✌🏿',
  '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🧑🏻‍🤝‍🧑🏿', '👩‍💻', '🫠', '🇦', '©', '©️', '™', '↔️', '☝', '🐱', '😷👾😡🔥💩', '🙋🏽', '👨‍🎤',
  '🏻', '✨', '👁️‍🗨️', '🐈‍⬛', '🧔‍♂️', '🫱🏼‍🫲🏿', '♟', '♟️', '☀︎', '⌚', '🀄', '🅰️', '🈚', '🪿', '🫎', '🍋‍🟩'];

const marks = ['\u0301', '\u0300', '\u0308', '\u0327', '\u0323\u0302', '\u20D7', '\u0489', '\u0336', '\u034F', '\u0E31',
  '\u093C', '\u094D', '\u05B8', '\u064B', '\u3099', '\uFE0F', '\uFE0E', '\u200D', '\u200C', '\u180E'];

const urls = ['https://example.com', 'http://example.org/path?q=1&r=2#frag', 'https://www.example.com/a_(b)',
  'https://xn--bcher-kva.de', 'https://bücher.de/x', 'example.com', 'www.example.com', 't.co/abc', 'github.io',
  'foo.co.uk/path', 'EXAMPLE.COM', 'readme.md', 'hello.it', 'bsky.app/profile/alice', 'http://test.co',
  'https://example.com/ünïcode', 'example.com.', 'https://example.com/path.', 'https://example.com/x),',
  'https://en.wikipedia.org/wiki/Primer_(film)', 'http://☃.net/', 'https://例え.テスト/パス', 'example.co',
  'a' .repeat(63) + '.com', 'a'.repeat(64) + '.com', 'https://example.com:8080/p', 'HTTPS://EXAMPLE.COM/Up',
  'ftp://example.com', 'https://example.com?x=1', 'test_underscore.twitter.com', 'https://sub_domain.example.com/x',
  'http://1.2.3.4/', 'example.xyz', 'example.tv', 'example.dev/a-b', 'https://t.co/' + 'x'.repeat(41), 'x.com/i/web',
  'mailto:a@example.com', 'http://', 'https://example.com/@alice', 'example.com/#top', 'https://example.com/%E2%9C%93',
  'https://example.com/🙂', 'www.пример.рф', 'пример.рф', 'example.онлайн', 'https://example.com/a?b=c.', 'https://example.com/?'];

const mentions = ['@alice', '@alice.bsky.social', '@bob_smith', '@a@b.social', '@Alice.Example.COM', '＠alice', '@123',
  'email@example.com', '@alice.test', '@x', '@' + 'n'.repeat(20), '@name.', '@-dash.com', '@alice/list', '@jay.bsky.team'];

const tags = ['#tag', '#日本', '#café', '#123', '#tag_with_underscore', '＃tag', '#हिन्दी', '#a#b', '#️⃣', '$AAPL', '$btc',
  '#tag!', '#tag.', '#Ünïcode', '#' + 't'.repeat(70), '#🙂', '#1a', '#تست', '#тест', '#a\u200Db', '$TOOLONG', '#(x)'];

const separators = ['', '', '', ' ', ' ', ' ', '  ', '\n', '\t', '\u00A0', '\u3000', '\u2009', '\r\n', '\u200B', '\u2028',
  ',', '.', '!', '?', ')', '(', ':', ';', '—', '…', '"', "'", '«', '»', '、', '。', '/', '-', '_', '@', '#', '$', '&', '=', '+', '\u202E', '\uFEFF'];

function fragment() {
  const kind = random();
  if (kind < 0.30) {
    return pick(words[pick(Object.keys(words))]);
  }
  if (kind < 0.45) {
    return pick(emoji);
  }
  if (kind < 0.50) {
    return pick(words[pick(Object.keys(words))]) + pick(marks) + (random() < 0.3 ? pick(marks) : '');
  }
  if (kind < 0.72) {
    return pick(urls);
  }
  if (kind < 0.84) {
    return pick(mentions);
  }
  return pick(tags);
}

function makeText(index) {
  // A tenth of the corpus is stretched past the limits (280 weighted, 300 graphemes, 3000 bytes).
  const long = index % 10 === 9;
  const parts = long ? between(30, 120) : between(1, 10);
  let text = '';
  for (let i = 0; i < parts; i++) {
    if (i > 0) {
      text += pick(separators);
    }
    text += fragment();
  }
  if (random() < 0.1) {
    text = pick(separators) + text + pick(separators);
  }
  return text;
}

function facetKind(feature) {
  switch (feature.$type) {
    case 'app.bsky.richtext.facet#link': return ['link', feature.uri];
    case 'app.bsky.richtext.facet#mention': return ['mention', feature.did];
    case 'app.bsky.richtext.facet#tag': return ['tag', feature.tag];
    default: throw new Error(`unknown facet feature ${feature.$type}`);
  }
}

function reference(text) {
  const parsed = twitter.parseTweet(text);
  // "kind start-end" (UTF-16 offsets): the value is the text at that range, so it is left out to keep the file small.
  const entities = twitter.extractEntitiesWithIndices(text).map((entity) => {
    const kind = entity.url !== undefined ? 'url' : entity.hashtag !== undefined ? 'hashtag' : entity.cashtag !== undefined ? 'cashtag' : 'mention';
    return `${kind} ${entity.indices[0]}-${entity.indices[1]}`;
  });

  const rt = new RichText({ text });
  rt.detectFacetsWithoutResolution();
  const facets = (rt.facets ?? []).map((facet) => {
    const [kind, value] = facetKind(facet.features[0]);
    return { kind, byteStart: facet.index.byteStart, byteEnd: facet.index.byteEnd, value };
  });

  return {
    text,
    x: { weightedLength: parsed.weightedLength, valid: parsed.valid, entities },
    bluesky: { graphemes: rt.graphemeLength, utf8Bytes: rt.length, facets },
  };
}

// Hand-picked strings first (the issue's examples and the platforms' documented cases), then the seeded corpus.
const pinned = [
  'हिन्दी', 'İstanbulwww.example.com', 'naïvewww.example.com', 'שלום https://example.com', 'שלוםhttps://example.com',
  'https://example.com🙂', 'example.com👍🏽', 'Hi http://test.co', 'http://test.co', 'H🐱☺👨‍👩‍👧‍👦', '🙋🏽👨‍🎤',
  '😷👾😡🔥💩', 'A\u0301B', '詳しくはexample.comへ', '✨ example mentioning @atproto.com to share the URL 👨‍❤️‍👨 https://en.wikipedia.org/wiki/CBOR.',
  'https://www.twitter.com/aloha '.repeat(10), '中'.repeat(160), 'a'.repeat(64) + '.com',
];

const packageVersion = (name) => JSON.parse(readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
const texts = [...pinned];
for (let i = 0; texts.length < COUNT; i++) {
  texts.push(makeText(i));
}

const fixture = {
  about: 'Reference counts for Herald\'s conformance tests; regenerate with scripts/conformance (docs/counting.md). Do not edit by hand.',
  seed: SEED,
  references: {
    'twitter-text': packageVersion('twitter-text'),
    '@atproto/api': packageVersion('@atproto/api'),
    node: process.versions.node,
    icu: process.versions.icu,
    unicode: process.versions.unicode,
  },
  entries: texts.map(reference),
};

// One entry a line, so that a regenerated fixture diffs line by line.
const { entries, ...header } = fixture;
const head = JSON.stringify(header, null, 1).replace(/\n}$/, '');
writeFileSync(fixturePath, `${head},\n "entries": [\n${entries.map((entry) => '  ' + JSON.stringify(entry)).join(',\n')}\n ]\n}\n`);
console.log(`wrote ${fixture.entries.length} entries to ${path.relative(process.cwd(), fixturePath)}`);
