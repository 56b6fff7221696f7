"""Test certificates for the loopback TLS portals: a private CA, a leaf it signs, an expired leaf and a
self-signed one, all for loopback IP addresses. Test beds only; nothing at run time uses them."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Certificates:
    cafile: Path
    expired: tuple[Path, Path]
    self_signed: tuple[Path, Path]


def make_certificates(folder: Path, expired_ip: str, self_signed_ip: str) -> Certificates:
    """A throw-away CA, an expired leaf it signed for ``expired_ip``, and a self-signed leaf for ``self_signed_ip``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    def write_key(key: Any, path: Path) -> None:
        path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))

    now = dt.datetime.now(dt.UTC)
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("tctt hostile test CA")).issuer_name(name("tctt hostile test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=3650)).not_valid_after(now + dt.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    cafile = folder / "ca.pem"
    cafile.write_bytes(ca.public_bytes(serialization.Encoding.PEM))

    def leaf(ip: str, issuer_key: Any, issuer: x509.Certificate | None, before: dt.datetime,
             after: dt.datetime, stem: str) -> tuple[Path, Path]:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (x509.CertificateBuilder().subject_name(name(ip))
                   .issuer_name(issuer.subject if issuer else name(ip)).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(before).not_valid_after(after)
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
                                  critical=False))
        if issuer is not None:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
        cert = builder.sign(issuer_key if issuer else key, hashes.SHA256())
        cert_path, key_path = folder / f"{stem}.pem", folder / f"{stem}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        write_key(key, key_path)
        return cert_path, key_path

    expired = leaf(expired_ip, ca_key, ca, now - dt.timedelta(days=400),
                   now - dt.timedelta(days=30), "expired")
    self_signed = leaf(self_signed_ip, None, None, now - dt.timedelta(days=1),
                       now + dt.timedelta(days=365), "self-signed")
    return Certificates(cafile, expired, self_signed)
