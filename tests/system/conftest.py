# SPDX-License-Identifier: BSD-2-Clause
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
