"""setup.py -- demo.c built by setuptools with the flags of pkg-config:

    python3 setup.py build_ext --inplace

pkg-config's python3 must be the CPython that runs this (PKG_CONFIG_PATH).
"""
import shlex
import subprocess

from setuptools import Extension, setup


def pkg_config(option):
    out = subprocess.run(["pkg-config", option, "pyz3"], check=True,
                         stdout=subprocess.PIPE, universal_newlines=True)
    return shlex.split(out.stdout)


cflags = pkg_config("--cflags")
libs = pkg_config("--libs")

setup(
    name="pyz3demo",
    version="0.1.0",
    ext_modules=[
        Extension(
            "pyz3demo",
            ["demo.c"],
            include_dirs=[f[2:] for f in cflags if f.startswith("-I")],
            extra_compile_args=[f for f in cflags if not f.startswith("-I")],
            library_dirs=[f[2:] for f in libs if f.startswith("-L")],
            libraries=[f[2:] for f in libs if f.startswith("-l")],
            extra_link_args=[f for f in libs if not f.startswith(("-L", "-l"))],
        )
    ],
)
