import subprocess
import sys

from sqlalchemy import select

from care.models import StaffUser
from dvcbot.db import session_scope


def run(db_url, tmp_path, *args, stdin=""):
    env = {"DVCBOT_DATABASE_URL": db_url, "DVCBOT_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "dvcbot.cli", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120)


def test_staff_create_first_admin(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    r = run(db, tmp_path, "staff", "create", "admin", "--name", "Quản trị", "--role", "admin", "--password-stdin",
            stdin="mật khẩu rất dài 2026\n")
    assert r.returncode == 0, r.stderr
    short = run(db, tmp_path, "staff", "create", "agent1", "--password-stdin", stdin="ngắn\n")
    assert short.returncode == 2 and "12" in short.stderr
    dup = run(db, tmp_path, "staff", "create", "ADMIN", "--password-stdin", stdin="mật khẩu rất dài 2026\n")
    assert dup.returncode == 2 and "tồn tại" in dup.stderr
    listing = run(db, tmp_path, "staff", "list")
    assert "admin\tadmin\tactive" in listing.stdout
    with session_scope(db) as s:
        user = s.scalar(select(StaffUser))
        assert user.password_hash.startswith("$argon2id$") and "mật khẩu" not in user.password_hash
