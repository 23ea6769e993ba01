"""Open Badges 3.0 credentials signed with an ``eddsa-rdfc-2022`` Data Integrity proof.

A pure leaf: no models, no settings. It holds

- the JSON-LD contexts bundled in ``certificates/contexts/`` with their SHA-256 pinned here, and a
  pyld document loader that serves only those (checking the hash each time a file is read) and
  refuses every other URL, so signing and verifying never touch the network;
- a check that every field of a credential is defined by those contexts: JSON-LD silently drops
  an undefined term (or files it under the VC context's "issuer-dependent" catch-all vocabulary),
  and a dropped term is not covered by the signature;
- the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa): RDFC-1.0 (URDNA2015) canonical N-Quads
  of the proof configuration and of the document, SHA-256 of each, the proof hash followed by
  the document hash signed with Ed25519, the signature as multibase base58btc ("z...");
- Multikey helpers: ``publicKeyMultibase`` with the ed25519-pub multicodec prefix 0xed01, the
  matching did:key, and the signing key's text forms (see ``private_key_from_text``);
- the Bitstring Status List encoding (GZIP-compressed bits, multibase base64url "u...").
"""

import base64
import binascii
import copy
import gzip
import hashlib
import json
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld import jsonld

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

# URL -> (file in certificates/contexts/, SHA-256 of its bytes). A changed file fails loudly
# instead of silently changing what every signature covers. DataIntegrityProof is defined by
# the VC 2.0 context itself, so https://w3id.org/security/data-integrity/v2 is not needed.
BUNDLED_CONTEXTS: dict[str, tuple[str, str]] = {
    VC_V2: (
        "credentials-v2.jsonld",
        "5bcb717d1638db5b70a318263d1a6428d9b770eccd865e2783324a54782ecfe3",
    ),
    OB_V3: (
        "ob-v3p0-context-3.0.3.json",
        "01d87cc8b5357af557bfb09428f603c4691c49ef8a6089945a70bda1b96b1db2",
    ),
    MULTIKEY_V1: (
        "multikey-v1.jsonld",
        "9ae9f9e8c8078caa4018d3491d69b175744334f60536339cc7ab365ba7d789a8",
    ),
}

CREDENTIAL_CONTEXT = [VC_V2, OB_V3]
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
# The VC 2.0 context's "@vocab": terms no bundled context defines land here instead of being
# dropped, which is just as unsigned in meaning, so they are rejected too.
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"

ED25519_PUB_PREFIX = b"\xed\x01"  # multicodec ed25519-pub, varint-encoded
ED25519_PRIV_PREFIX = b"\x80\x26"  # multicodec ed25519-priv, varint-encoded

STATUS_LIST_MIN_BITS = 131072  # 16 KiB: the minimum the Bitstring Status List spec requires


class BadgeError(ValueError):
    """A credential that cannot be signed or verified: undefined fields, a refused context, a
    malformed key or proof."""


DocumentLoader = Callable[..., dict]


# --- contexts and the document loader -------------------------------------------------------


def context_bytes(filename: str, sha256: str) -> bytes:
    """The bytes of one bundled context file, after checking them against the pinned hash."""
    data = (CONTEXTS_DIR / filename).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise BadgeError(f"bundled JSON-LD context {filename} does not match its pinned SHA-256")
    return data


@cache
def _bundled_document(url: str) -> str:
    filename, sha256 = BUNDLED_CONTEXTS[url]
    return context_bytes(filename, sha256).decode("utf-8")


def make_document_loader(extra: dict[str, dict] | None = None) -> DocumentLoader:
    """A pyld document loader serving the bundled contexts (and ``extra`` documents, for tests
    of the spec's own examples); every other URL raises, so nothing is fetched."""
    extra = extra or {}

    def loader(url: str, options: dict | None = None) -> dict:
        if url in BUNDLED_CONTEXTS:
            document = json.loads(_bundled_document(url))
        elif url in extra:
            document = copy.deepcopy(extra[url])
        else:
            raise BadgeError(f"JSON-LD document not bundled, refused: {url}")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": document,
        }

    return loader


document_loader = make_document_loader()


# --- undefined terms --------------------------------------------------------------------------


def _walk_expanded(node, found: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk_expanded(item, found)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "@type":
            types = value if isinstance(value, list) else [value]
            for type_iri in types:
                # A value object's @type (a datatype) is always absolute; a node's type that is
                # relative or issuer-dependent was not defined by a context.
                if isinstance(type_iri, str) and (
                    type_iri.startswith(ISSUER_DEPENDENT) or ":" not in type_iri
                ):
                    found.add(type_iri)
            continue
        if key.startswith(ISSUER_DEPENDENT):
            found.add(key.removeprefix(ISSUER_DEPENDENT))
        if key == "@value":
            continue
        _walk_expanded(value, found)


def undefined_terms(document: dict, *, loader: DocumentLoader = document_loader) -> list[str]:
    """The properties and types in ``document`` that its contexts do not define (sorted)."""
    dropped: set[str] = set()

    def on_dropped(term: str | None) -> None:
        dropped.add(term or "?")

    try:
        expanded = jsonld.expand(
            document,
            {"documentLoader": loader},
            on_property_dropped=on_dropped,
        )
    except jsonld.JsonLdError as error:
        raise BadgeError(f"credential is not valid JSON-LD: {_root_cause(error)}") from error
    _walk_expanded(expanded, dropped)
    return sorted(dropped)


def check_defined(document: dict, *, loader: DocumentLoader = document_loader) -> None:
    """Raise BadgeError naming every field of ``document`` that the bundled contexts do not
    define, so nothing is silently left out of the signature."""
    undefined = undefined_terms(document, loader=loader)
    if undefined:
        raise BadgeError("fields not defined by the credential's contexts: " + ", ".join(undefined))


def _root_cause(error: BaseException) -> str:
    while getattr(error, "cause", None) is not None:
        error = error.cause
    return str(error)


# --- canonicalisation and hashes --------------------------------------------------------------


def canonical_nquads(document: dict, *, loader: DocumentLoader = document_loader) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document."""
    try:
        return jsonld.normalize(
            document,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": loader,
            },
        )
    except jsonld.JsonLdError as error:
        raise BadgeError(f"credential cannot be canonicalised: {_root_cause(error)}") from error


def proof_configuration(document: dict, proof: dict) -> dict:
    """The proof options without ``proofValue``, under the document's own @context, as the
    cryptosuite canonicalises them."""
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    config["@context"] = document["@context"]
    return config


def unsecured(document: dict) -> dict:
    """The document without its proof."""
    return {key: value for key, value in document.items() if key != "proof"}


def hash_data(
    document: dict, proof: dict, *, loader: DocumentLoader = document_loader
) -> tuple[bytes, bytes]:
    """(SHA-256 of the canonical proof configuration, SHA-256 of the canonical document)."""
    proof_hash = hashlib.sha256(
        canonical_nquads(proof_configuration(document, proof), loader=loader).encode("utf-8")
    ).digest()
    document_hash = hashlib.sha256(
        canonical_nquads(unsecured(document), loader=loader).encode("utf-8")
    ).digest()
    return proof_hash, document_hash


# --- multibase, multikey, keys ----------------------------------------------------------------

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {char: index for index, char in enumerate(_B58_ALPHABET)}


def base58btc_encode(data: bytes) -> str:
    """Bitcoin base58 (leading zero bytes become leading '1's)."""
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, remainder = divmod(number, 58)
        out.append(_B58_ALPHABET[remainder])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def base58btc_decode(text: str) -> bytes:
    """Inverse of ``base58btc_encode``; BadgeError on a character outside the alphabet."""
    number = 0
    for char in text:
        if char not in _B58_INDEX:
            raise BadgeError("not base58btc")
        number = number * 58 + _B58_INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_decode(text: str) -> bytes:
    """Decode multibase base58btc ('z') or base64url without padding ('u')."""
    if not isinstance(text, str) or not text:
        raise BadgeError("empty multibase value")
    if text[0] == "z":
        return base58btc_decode(text[1:])
    if text[0] == "u":
        try:
            return base64.urlsafe_b64decode(text[1:] + "=" * (-len(text[1:]) % 4))
        except (binascii.Error, ValueError) as error:
            raise BadgeError("not base64url") from error
    raise BadgeError("unsupported multibase prefix")


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """Multikey ``publicKeyMultibase``: 'z' + base58btc(0xed01 + the 32 raw key bytes)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58btc_encode(ED25519_PUB_PREFIX + raw)


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    """Inverse of ``public_key_multibase``."""
    data = multibase_decode(text)
    if len(data) != 34 or not data.startswith(ED25519_PUB_PREFIX):
        raise BadgeError("not an Ed25519 Multikey public key")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def did_key(public_key: Ed25519PublicKey) -> str:
    """The did:key identifier of an Ed25519 public key."""
    return "did:key:" + public_key_multibase(public_key)


def did_key_verification_method(public_key: Ed25519PublicKey) -> str:
    """The did:key verification method URL (the DID, '#', the key fragment)."""
    multibase = public_key_multibase(public_key)
    return f"did:key:{multibase}#{multibase}"


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    """The signing key from its text form, as ``OPEN_BADGES_SIGNING_KEY`` holds it: either the
    32-byte Ed25519 seed in base64 or base64url (padding optional), or a Multikey
    ``secretKeyMultibase`` ('z' + base58btc of 0x8026 + seed)."""
    text = (text or "").strip()
    seed = b""
    if text.startswith("z") and len(text) != 43:
        # 43 characters is a base64url seed that happens to start with "z"; a multibase
        # secret key (34 bytes) is longer.
        try:
            data = multibase_decode(text)
        except BadgeError:
            data = b""
        if len(data) == 34 and data.startswith(ED25519_PRIV_PREFIX):
            seed = data[2:]
    if not seed:
        try:
            seed = base64.b64decode(
                text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4), validate=True
            )
        except (binascii.Error, ValueError):
            seed = b""
    if len(seed) != 32:
        raise BadgeError(
            "the Open Badges signing key must be a 32-byte Ed25519 seed in base64url, "
            "or a Multikey secretKeyMultibase ('z...')"
        )
    return Ed25519PrivateKey.from_private_bytes(seed)


def private_key_to_text(private_key: Ed25519PrivateKey) -> str:
    """The base64url seed form ``private_key_from_text`` reads (for generating a key)."""
    seed = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.urlsafe_b64encode(seed).decode("ascii").rstrip("=")


def new_private_key_text() -> str:
    """A fresh random signing key in text form."""
    return private_key_to_text(Ed25519PrivateKey.generate())


# --- sign and verify --------------------------------------------------------------------------


def sign(
    document: dict,
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    proof_purpose: str = "assertionMethod",
    loader: DocumentLoader = document_loader,
) -> dict:
    """A copy of ``document`` with an ``eddsa-rdfc-2022`` DataIntegrityProof added.

    ``created`` is an XML Schema dateTime ("2026-01-31T12:00:00Z"). Refuses a document with a
    field the contexts do not define, which would otherwise go unsigned.
    """
    document = unsecured(copy.deepcopy(document))
    check_defined(document, loader=loader)
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    proof_hash, document_hash = hash_data(document, proof, loader=loader)
    signature = private_key.sign(proof_hash + document_hash)
    proof["proofValue"] = "z" + base58btc_encode(signature)
    return {**document, "proof": proof}


def verify(
    document: dict,
    *,
    resolve_key: Callable[[str], Ed25519PublicKey | None],
    loader: DocumentLoader = document_loader,
) -> bool:
    """True if ``document`` carries a valid ``eddsa-rdfc-2022`` proof by a key that
    ``resolve_key(verificationMethod)`` vouches for (None: unknown key), and every field is
    defined by its contexts. Any change to a signed statement gives False."""
    proof = document.get("proof") if isinstance(document, dict) else None
    if not isinstance(proof, dict):
        return False
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    if not isinstance(document.get("@context"), list):
        return False
    try:
        signature = multibase_decode(proof.get("proofValue", ""))
        public_key = resolve_key(str(proof.get("verificationMethod", "")))
        if public_key is None or len(signature) != 64:
            return False
        check_defined(unsecured(document), loader=loader)
        proof_hash, document_hash = hash_data(unsecured(document), proof, loader=loader)
        public_key.verify(signature, proof_hash + document_hash)
    except (BadgeError, InvalidSignature):
        return False
    return True


def did_key_resolver(verification_method: str) -> Ed25519PublicKey | None:
    """Resolve a did:key verification method to its public key (did:key is self-describing)."""
    if not verification_method.startswith("did:key:"):
        return None
    did, _, fragment = verification_method.partition("#")
    multibase = did.removeprefix("did:key:")
    if fragment and fragment != multibase:
        return None
    try:
        return public_key_from_multibase(multibase)
    except BadgeError:
        return None


# --- Bitstring Status List --------------------------------------------------------------------


def status_list_encode(revoked: Iterable[int], *, size: int = STATUS_LIST_MIN_BITS) -> str:
    """``encodedList`` for the given set bit positions: the bitstring (index 0 is the most
    significant bit of the first byte), GZIP-compressed, multibase base64url ('u...')."""
    positions = list(revoked)
    size = max(size, ((max(positions, default=0) // 8) + 1) * 8)
    bits = bytearray((size + 7) // 8)
    for index in positions:
        if index < 0:
            raise BadgeError("negative status list index")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0 keeps the bytes (and so the list credential's signature) stable between requests.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def status_list_bit(encoded_list: str, index: int) -> bool:
    """Whether bit ``index`` is set in an ``encodedList``."""
    bits = gzip.decompress(multibase_decode(encoded_list))
    if index < 0 or index // 8 >= len(bits):
        raise BadgeError("status list index out of range")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
